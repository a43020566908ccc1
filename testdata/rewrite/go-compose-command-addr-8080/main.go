package main
import (
	"flag"
	"net/http"
)
var addr = flag.String("addr", ":8080", "listen address")
func main() {
	flag.Parse()
	http.ListenAndServe(*addr, nil)
}
