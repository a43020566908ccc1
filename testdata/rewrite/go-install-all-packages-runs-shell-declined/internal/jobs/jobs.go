package jobs

import "os/exec"

// Cleanup runs the system find.
func Cleanup() error { return exec.Command("sh", "-c", "find /tmp -mtime +1 -delete").Run() }
