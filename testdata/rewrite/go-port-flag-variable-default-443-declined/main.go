package main

import (
	"flag"
	"log"
	"net/http"
)

var listen string

func main() {
	flag.StringVar(&listen, "l", "443", "where to listen")
	flag.Parse()
	addr := ":" + listen
	log.Fatal(http.ListenAndServeTLS(addr, "cert.pem", "key.pem", nil))
}
