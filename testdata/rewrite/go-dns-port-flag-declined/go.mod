module example.com/port13

go 1.22
