// whoami prints the user it runs as, by name from the image's /etc/passwd (os/user without
// cgo reads that file): the runtime stage copies its own passwd, so the rewrite must keep
// the user that file names rather than the target's `nonroot`, which it does not have.
package main

import (
	"fmt"
	"os"
	"os/user"
)

func main() {
	u, err := user.LookupId(fmt.Sprint(os.Getuid()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("uid %s is %s\n", u.Uid, u.Username)
}
