// certcheck: parses a CA bundle and reports on it; the kind of small service that ships on
// debian-slim "for the certificates".
package main

import (
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"sort"
)

func main() {
	bundle := flag.String("bundle", "/etc/ssl/certs/ca-certificates.crt", "CA bundle to read")
	flag.Parse()

	data, err := os.ReadFile(*bundle)
	if err != nil {
		fmt.Fprintln(os.Stderr, "certcheck:", err)
		os.Exit(3)
	}
	var names []string
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			continue
		}
		names = append(names, c.Subject.CommonName)
	}
	sort.Strings(names)
	// Counts and the exact list differ between Debian releases: print what is stable.
	fmt.Printf("bundle %s: more than 100 CA certificates: %v\n", *bundle, len(names) > 100)
	for _, want := range []string{"ISRG Root X1", "DigiCert Global Root G2", "GlobalSign Root CA"} {
		i := sort.SearchStrings(names, want)
		fmt.Printf("  %-26s %v\n", want, i < len(names) && names[i] == want)
	}
	roots, err := x509.SystemCertPool()
	fmt.Printf("system pool loads: %v\n", err == nil && roots != nil)
}
