package main

import "net"

func main() {
	pc, err := net.ListenPacket("udp", ":53")
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 512)
	for {
		n, addr, _ := pc.ReadFrom(buf)
		pc.WriteTo(buf[:n], addr)
	}
}
