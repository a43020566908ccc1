module example.com/ping

go 1.23

require golang.org/x/sys v0.25.0
