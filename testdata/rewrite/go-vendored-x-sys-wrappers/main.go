package main

import (
	"log"
	"net/http"

	"golang.org/x/sys/unix"
)

func main() {
	http.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("pong"))
	})
	log.Printf("pid %d", unix.Getpid())
	log.Fatal(http.ListenAndServe(":8080", nil))
}
