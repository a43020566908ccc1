package main

import (
	"log"
	"os"
)

func main() {
	// `err` is given the result of a check of a path; it names no path the app writes.
	if _, err := os.Stat("/etc/cachewarm.conf"); err == nil {
		log.Print("a configuration is present")
	}
	if err := os.WriteFile("/tmp/cachewarm.json", []byte("{}"), 0o644); err != nil {
		log.Fatal(err)
	}
}
