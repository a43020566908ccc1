package main

/*
#cgo LDFLAGS: -lcrypt
#include <crypt.h>
#include <stdlib.h>
*/
import "C"

import (
	"log"
	"net/http"
	"unsafe"
)

func hash(pw, salt string) string {
	cpw, cs := C.CString(pw), C.CString(salt)
	defer C.free(unsafe.Pointer(cpw)); defer C.free(unsafe.Pointer(cs))
	return C.GoString(C.crypt(cpw, cs))
}

func main() {
	http.HandleFunc("/hash", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(hash(r.URL.Query().Get("pw"), "$6$saltsalt$"))) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}
