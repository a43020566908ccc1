package main

import (
	"net/http"

	"github.com/acme/shell"
)

func main() {
	shell.Run()
	http.ListenAndServe(":8080", nil)
}
