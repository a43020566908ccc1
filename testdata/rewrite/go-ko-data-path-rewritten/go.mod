module example.com/go25

go 1.22
