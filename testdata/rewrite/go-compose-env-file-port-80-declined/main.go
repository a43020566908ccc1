package main
import (
	"net/http"
	"os"
)
func main() {
	p := os.Getenv("PORT")
	if p == "" { p = "8080" }
	http.ListenAndServe(":"+p, nil)
}
