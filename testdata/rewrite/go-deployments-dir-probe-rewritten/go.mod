module example.com/notifierrewritten

go 1.24
