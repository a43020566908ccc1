//go:build !windows

package main

func openBrowser() {}
