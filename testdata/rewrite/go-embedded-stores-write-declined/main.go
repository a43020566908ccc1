package main

import (
	"log"
	"net/http"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/tidwall/buntdb"
)

func main() {
	// badger creates the directory ./badger (relative to the working directory, "/" here)
	kv, err := badger.Open(badger.DefaultOptions("./badger"))
	if err != nil {
		log.Fatal(err) // distroless nonroot: mkdir /badger: permission denied
	}
	defer kv.Close()

	// buntdb creates the file ./sessions.db
	sess, err := buntdb.Open("sessions.db")
	if err != nil {
		log.Fatal(err) // open /sessions.db: permission denied
	}
	defer sess.Close()

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}
