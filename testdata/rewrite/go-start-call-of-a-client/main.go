package main

import (
	"fmt"
	"net/http"
	"os"
)

type query struct{}

func (q query) Start(n int) query { return q } // a paging call, not a listener

func main() {
	_ = query{}.Start(1)
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.ListenAndServe(fmt.Sprintf(":%v", port), nil)
}
