// cgo-demo: calls a C function through cgo and looks users up through glibc (os/user with
// cgo), so the binary is dynamically linked against glibc.
package main

/*
#include <stdlib.h>
#include <string.h>

static int triple(int x) { return 3 * x; }
static size_t c_strlen(const char *s) { return strlen(s); }
*/
import "C"

import (
	"fmt"
	"os"
	"os/user"
	"unsafe"
)

func main() {
	fmt.Println("C says triple(14) =", int(C.triple(14)))

	cs := C.CString("distroless")
	defer C.free(unsafe.Pointer(cs))
	fmt.Println("C strlen(\"distroless\") =", int(C.c_strlen(cs)))

	for _, id := range []string{"0", "65534"} {
		u, err := user.LookupId(id)
		if err != nil {
			fmt.Println("lookup", id, "failed:", err)
			os.Exit(3)
		}
		fmt.Printf("uid %s is %s\n", id, u.Username)
	}
}
