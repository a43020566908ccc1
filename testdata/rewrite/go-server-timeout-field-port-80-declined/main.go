package main

import (
	"net/http"
	"time"
)

func main() {
	srv := http.Server{Addr: ":80", ReadHeaderTimeout: 10 * time.Second}
	_ = srv.ListenAndServe()
}
