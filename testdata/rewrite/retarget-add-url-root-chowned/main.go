package main

import "os"

func main() {
	_, _ = os.ReadFile("/usr/share/GeoIP/GeoLite2-City.mmdb")
}
