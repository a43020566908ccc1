module github.com/acme/g75

go 1.22


