package main

// #cgo LDFLAGS: -latomic
// static _Atomic __int128 c;
// static long long inc(void) { c += 1; return (long long)c; }  /* 16-byte atomics call __atomic_*_16 in libatomic.so.1 */
import "C"
import "fmt"

func main() { fmt.Println(C.inc()) }
