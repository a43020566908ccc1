package main

import "net/http"

func main() {
	openBrowser()
	http.ListenAndServe(":8080", nil)
}
