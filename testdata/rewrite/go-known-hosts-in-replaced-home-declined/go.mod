module github.com/acme/g59

go 1.22


