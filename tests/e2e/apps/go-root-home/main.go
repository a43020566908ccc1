// greeter: reads a template beside it and counts its runs in a state file, both by paths
// relative to its working folder.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	greeting, err := os.ReadFile("templates/greeting.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "greeter:", err)
		os.Exit(3)
	}
	fmt.Print(string(greeting))
	raw, err := os.ReadFile("state/count.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "greeter:", err)
		os.Exit(4)
	}
	count, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	count++
	if err := os.WriteFile("state/count.txt", []byte(strconv.Itoa(count)+"\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "greeter:", err)
		os.Exit(5)
	}
	// A new file in a copied folder, as root could make.
	if err := os.WriteFile("state/last-run.txt", []byte("ok\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "greeter:", err)
		os.Exit(6)
	}
	fmt.Printf("runs counted: %d\n", count)
}
