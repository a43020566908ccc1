module github.com/acme/g01

go 1.22


