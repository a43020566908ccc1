module example.com/hello-static

go 1.24
