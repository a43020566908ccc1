module example.com/go28

go 1.22
