package main

import (
	"net/http"

	"example.com/app/internal/runner"
)

func main() {
	runner.Run()
	http.ListenAndServe(":8080", nil)
}
