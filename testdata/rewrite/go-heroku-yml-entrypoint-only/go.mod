module example.com/ingress

go 1.24
