/*
//go:build ignore
*/
package main
import "os/exec"
func init() { exec.Command("sh","-c","date").Run() }
