module example.com/envport

go 1.23
