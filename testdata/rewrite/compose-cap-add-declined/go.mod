module example.com/tunapp
go 1.22
