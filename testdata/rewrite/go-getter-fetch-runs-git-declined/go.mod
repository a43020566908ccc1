module example.com/fetcher

go 1.23

require github.com/hashicorp/go-getter v1.7.6
