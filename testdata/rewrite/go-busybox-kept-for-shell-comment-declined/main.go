package main

import (
	"net/http"
	"os"
)

func main() {
	// Profiles go to /tmp, to be read from a shell in the container.
	f, _ := os.Create("/tmp/profile.log")
	defer f.Close()
	http.ListenAndServe(":8080", nil)
}
