package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
)

var (
	port     = flag.Int("port", 8080, "the port to listen on")
	smtpPort = flag.Int("smtp-port", 25, "the mail server's port")
)

func main() {
	flag.Parse()
	log.Printf("mail through port %d", *smtpPort)
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", *port), nil))
}
