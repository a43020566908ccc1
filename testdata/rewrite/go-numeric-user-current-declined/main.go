package main

import (
	"log"
	"os/user"
)

func main() {
	u, err := user.Current()
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("running as %s", u.Username)
}
