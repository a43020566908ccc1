package main

//go:generate go run gen.go

import "net/http"

func main() { http.ListenAndServe(":8080", nil) }
