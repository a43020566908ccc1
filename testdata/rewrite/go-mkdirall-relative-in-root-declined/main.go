package main

import (
	"net/http"
	"os"
)

const dataDir = "data"

func main() {
	// Relative to the working folder: `/` in the image, which only root may write.
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		panic(err)
	}
	http.ListenAndServe(":8080", nil)
}
