module github.com/acme/g78

go 1.22


