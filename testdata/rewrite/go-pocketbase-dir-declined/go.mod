module github.com/acme/g26

go 1.22


