module example.com/app

go 1.23

require github.com/acme/shell v0.1.0
