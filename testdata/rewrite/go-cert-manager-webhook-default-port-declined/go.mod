module example.com/webhook

go 1.23

require github.com/cert-manager/cert-manager v1.16.2
