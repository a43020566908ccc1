package main

import (
	"net/http"
	"os/user"
)

func main() {
	if _, err := user.Lookup("www-data"); err != nil { panic(err) }
	http.ListenAndServe(":8080", nil)
}
