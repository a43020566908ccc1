package main

import (
	"flag"
	"fmt"
	"net/http"
)

func main() {
	port := flag.Int("secure-port", 8443, "")
	flag.Parse()
	http.ListenAndServeTLS(fmt.Sprintf(":%d", *port), "/tls/tls.crt", "/tls/tls.key", nil)
}
