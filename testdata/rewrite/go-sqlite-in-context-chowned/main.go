package main

import (
	"database/sql"
	"net/http"

	_ "modernc.org/sqlite"
)

func main() {
	db, err := sql.Open("sqlite", "tracker.db")
	if err != nil {
		panic(err)
	}
	http.HandleFunc("/hit", func(w http.ResponseWriter, r *http.Request) {
		_, _ = db.Exec("INSERT INTO hits DEFAULT VALUES")
	})
	_ = http.ListenAndServe(":8080", nil)
}
