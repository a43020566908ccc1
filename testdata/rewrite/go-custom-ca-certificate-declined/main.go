package main

import (
	"fmt"
	"net/http"
)

func main(){ fmt.Println("hi"); http.ListenAndServe(":8080", nil) }
