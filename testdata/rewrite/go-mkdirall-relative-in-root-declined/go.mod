module example.com/golinks

go 1.24
