package main

import (
	"log"
	"net/http"

	"example.com/backupsvc/internal/backup"
)

func main() {
	http.HandleFunc("/backup", func(w http.ResponseWriter, r *http.Request) {
		if err := backup.Run("/data"); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
