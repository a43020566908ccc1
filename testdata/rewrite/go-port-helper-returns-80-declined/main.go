package main

import (
	"log"
	"net/http"
	"os"
)

func getPort() string {
	if p, ok := os.LookupEnv("PORT"); ok {
		return p
	}
	return "80"
}

func main() {
	log.Fatal(http.ListenAndServe(":"+getPort(), nil))
}
