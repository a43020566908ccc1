package main

import (
	"flag"
	"net/http"
)

func main() {
	addr := flag.String("listen", "", "")
	flag.Parse()
	http.ListenAndServeTLS(*addr, "/tls/tls.crt", "/tls/tls.key", nil)
}
