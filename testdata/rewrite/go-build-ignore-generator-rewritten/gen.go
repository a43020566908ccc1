//go:build ignore

package main

import "os/exec"

func main() { exec.Command("stringer", "-type=Kind").Run() }
