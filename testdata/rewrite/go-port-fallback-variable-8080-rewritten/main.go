package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	p := os.Getenv("PORT")
	if p == "" {
		p = "8080"
	}
	workers := 4
	srv := &http.Server{Addr: ":" + p}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	for i := 0; i < workers; i++ {
		go func() {}()
	}
	log.Fatal(srv.ListenAndServe())
}
