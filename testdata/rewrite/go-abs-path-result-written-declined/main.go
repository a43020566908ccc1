package main

import (
	"log"
	"os"
	"path/filepath"
)

func main() {
	// The path is the first result; `err` is the second.
	out, err := filepath.Abs("/var/lib/statewriter/state.json")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(out, []byte("{}"), 0o644); err != nil {
		log.Fatal(err)
	}
}
