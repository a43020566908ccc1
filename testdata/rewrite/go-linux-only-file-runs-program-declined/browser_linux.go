package main

import "os/exec"

func openBrowser() { exec.Command("xdg-open", "http://localhost:8080").Run() }
