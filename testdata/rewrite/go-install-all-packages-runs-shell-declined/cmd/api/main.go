package main

import (
	"net/http"

	"example.com/app/internal/jobs"
)

func main() {
	go jobs.Cleanup()
	_ = http.ListenAndServe(":8080", nil)
}
