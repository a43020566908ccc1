module example.com/go58

go 1.22
