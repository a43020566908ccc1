// Reads an inventory, prints totals and the host's name lookup for localhost: a Go
// program that the Makefile builds, so that the Dockerfile alone does not say how it links.
package main

import (
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
)

func main() {
	f, err := os.Open("inventory.csv")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	totals := map[string]int{}
	for _, row := range rows[1:] {
		n, _ := strconv.Atoi(row[2])
		totals[row[1]] += n
	}
	keys := make([]string, 0, len(totals))
	for k := range totals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s: %d\n", k, totals[k])
	}
	addrs, err := net.LookupHost("localhost")
	fmt.Println("localhost resolves:", err == nil && len(addrs) > 0)
	fmt.Printf("digest: %x\n", sha256.Sum256([]byte(fmt.Sprint(totals))))
}
