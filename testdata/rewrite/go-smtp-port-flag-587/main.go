package main
import (
	"flag"
	"fmt"
	"net/http"
)
var port = flag.Int("port", 8080, "listen port")
var smtpPort = flag.Int("smtp-port", 587, "SMTP server port")
func main() {
	flag.Parse()
	_ = smtpPort
	http.ListenAndServe(fmt.Sprintf(":%d", *port), nil)
}
