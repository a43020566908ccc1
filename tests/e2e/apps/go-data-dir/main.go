// spool: writes a file into the folder it is given and reads it back, the way a service
// keeps its queue in a folder that the Dockerfile made with `mkdir` in the runtime stage.
// The image ran as root; the rewrite runs as nonroot, so the folder must be its own.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func owner(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "missing"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == 0 {
		return "root"
	}
	return "not root"
}

func main() {
	dir := os.Args[1]
	fi, err := os.Stat(dir)
	fmt.Printf("folder %s is a folder: %v\n", dir, err == nil && fi.IsDir())
	entries, _ := os.ReadDir(dir)
	fmt.Printf("folder starts empty: %v\n", len(entries) == 0)
	file := filepath.Join(dir, "job-1")
	if err := os.WriteFile(file, []byte("queued\n"), 0o644); err != nil {
		fmt.Println("write:", err)
		os.Exit(1)
	}
	data, err := os.ReadFile(file)
	fmt.Printf("read back: %q %v\n", string(data), err == nil)
	// The folders the target has already keep their owner.
	fmt.Printf("/var/lib owned by %s\n", owner("/var/lib"))
	fmt.Printf("/usr/local/bin owned by %s\n", owner("/usr/local/bin"))
}
