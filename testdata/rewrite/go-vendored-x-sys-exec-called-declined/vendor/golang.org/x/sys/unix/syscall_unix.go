//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package unix

import "syscall"

// Exec calls execve(2); the package only wraps it.
func Exec(argv0 string, argv []string, envv []string) error {
	return syscall.Exec(argv0, argv, envv)
}
