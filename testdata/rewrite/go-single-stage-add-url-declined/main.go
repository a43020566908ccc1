package main

import (
	"fmt"
	"os"
	"net/http"
)

func main() {
	wd, _ := os.Getwd()
	fmt.Println(wd)
	b, err := os.ReadFile("config.json")
	fmt.Println(string(b), err)
	http.ListenAndServe(":8080", nil)
}
