module example.com/go19

go 1.22
