package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	mode := "web"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(mode)) })
	log.Fatal(http.ListenAndServe(":3000", nil))
}
