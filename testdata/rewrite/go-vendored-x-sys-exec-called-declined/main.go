package main

import (
	"log"
	"net/http"
	"os"

	"golang.org/x/sys/unix"
)

func main() {
	// Re-execs itself into the helper the original image installed.
	if len(os.Args) > 1 && os.Args[1] == "migrate" {
		log.Fatal(unix.Exec("/usr/bin/psql", []string{"psql", "-f", "schema.sql"}, os.Environ()))
	}
	http.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("pong"))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
