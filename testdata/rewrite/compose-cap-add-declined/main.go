package main

import (
	"log"
	"os"
	"syscall"
	"unsafe"
)

// Creates a TUN interface: TUNSETIFF needs CAP_NET_ADMIN (tun(4) / netdevice(7)).
func main() {
	f, err := os.OpenFile("/dev/net/tun", os.O_RDWR, 0)
	if err != nil {
		log.Fatal(err)
	}
	var req [syscall.IFNAMSIZ + 64]byte
	copy(req[:], "tun0")
	*(*uint16)(unsafe.Pointer(&req[syscall.IFNAMSIZ])) = syscall.IFF_TUN | syscall.IFF_NO_PI
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TUNSETIFF), uintptr(unsafe.Pointer(&req[0]))); errno != 0 {
		log.Fatalf("TUNSETIFF: %v", errno)
	}
	buf := make([]byte, 1500)
	for {
		if _, err := f.Read(buf); err != nil {
			log.Fatal(err)
		}
	}
}
