package main

import (
	"html/template"
	"net/http"
)

func main() {
	t := template.Must(template.ParseFiles("templates/index.html"))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_ = t.Execute(w, "hello")
	})
	_ = http.ListenAndServe(":8080", nil)
}
