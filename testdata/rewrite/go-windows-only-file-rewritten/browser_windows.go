package main

import "os/exec"

func openBrowser() { exec.Command("cmd", "/c", "start", "http://localhost:8080").Run() }
