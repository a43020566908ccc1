module example.com/port02

go 1.22
