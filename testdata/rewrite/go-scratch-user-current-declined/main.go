package main
import (
	"fmt"
	"os/user"
	"path/filepath"
)
func main() { u, err := user.Current(); if err != nil { panic(err) }; fmt.Println(filepath.Join(u.HomeDir, ".config")) }
