tls {
  ca = "/root/certs/ca.pem"
}
