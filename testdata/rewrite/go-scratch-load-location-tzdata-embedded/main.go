package main

import (
	"log"
	"net/http"
	"os"
	"time"
	_ "time/tzdata"
)

func main() {
	tz := os.Getenv("REPORT_TZ")
	if tz == "" {
		tz = "Europe/Paris"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		log.Fatalf("load timezone %q: %v", tz, err)
	}
	http.HandleFunc("/now", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(time.Now().In(loc).Format(time.RFC3339)))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
