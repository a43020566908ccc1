module example.com/cgo-demo

go 1.24
