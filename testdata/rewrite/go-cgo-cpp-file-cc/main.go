package main

// int f(void);
import "C"
import "fmt"

func main() { fmt.Println(C.f()) }
