package main

import (
	"flag"
	"os"
)

func main() {
	state := flag.String("state", "ids.json", "state file")
	flag.Parse()
	f, err := os.Create(*state)
	if err != nil {
		os.Exit(1)
	}
	defer f.Close()
	f.WriteString("{}\n")
}
