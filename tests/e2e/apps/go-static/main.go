// hello-static: a pure-Go program (CGO_ENABLED=0) that computes a digest, reads the CA bundle
// and the time zone database, and answers an HTTP request on loopback.
package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	sum := sha256.Sum256([]byte("dfslim"))
	fmt.Printf("sha256(dfslim) starts %x\n", sum[:6])

	// The CA bundle: the count differs between Debian releases, so only a floor is printed.
	data, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		fmt.Println("ca bundle:", err)
		os.Exit(3)
	}
	n, isrg := 0, false
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			n++
			isrg = isrg || c.Subject.CommonName == "ISRG Root X1"
		}
	}
	fmt.Printf("ca bundle: more than 100 certificates: %v, ISRG Root X1: %v\n", n > 100, isrg)

	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Println("zoneinfo:", err)
		os.Exit(4)
	}
	fmt.Println("1700000000 in Paris:", time.Unix(1700000000, 0).In(loc).Format(time.RFC1123))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(5)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.URL.Path)
	}))
	resp, err := http.Get("http://" + ln.Addr().String() + "/static")
	if err != nil {
		fmt.Println("http:", err)
		os.Exit(6)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Printf("http: %d %s\n", resp.StatusCode, body)
}
