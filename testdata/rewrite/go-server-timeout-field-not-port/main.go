package main

import (
	"net/http"
	"time"
)

func main() {
	srv := http.Server{Addr: ":8080", ReadHeaderTimeout: 10 * time.Second}
	_ = srv.ListenAndServe()
}
