package main

import "os"

func main() {
	if err := os.MkdirAll("/var/lib/app", 0o755); err != nil {
		panic(err)
	}
	os.WriteFile("/var/lib/app/state", []byte("x"), 0o644)
}
