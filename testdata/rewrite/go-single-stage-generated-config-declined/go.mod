module example.com/go56

go 1.22
