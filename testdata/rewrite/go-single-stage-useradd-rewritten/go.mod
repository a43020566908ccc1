module example.com/go57

go 1.22
