package main

import (
	"log"
	"os"
)

func main() {
	log.Printf("running as uid %d", os.Getuid())
}
