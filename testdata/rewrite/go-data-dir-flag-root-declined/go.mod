module example.com/go64

go 1.22
