package main

import (
	"net/http"

	getter "github.com/hashicorp/go-getter"
)

func main() {
	http.HandleFunc("/sync", func(w http.ResponseWriter, r *http.Request) {
		getter.Get("/tmp/repo", "git::https://example.com/config.git")
	})
	http.ListenAndServe(":8080", nil)
}
