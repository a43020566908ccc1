package main
import (
	"net/http"
	"golang.org/x/crypto/acme/autocert"
)
func main() {
	http.Serve(autocert.NewListener("example.com"), http.DefaultServeMux)
}
