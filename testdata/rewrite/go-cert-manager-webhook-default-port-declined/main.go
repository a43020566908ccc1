package main

import (
	"os"

	"github.com/cert-manager/cert-manager/pkg/acme/webhook/cmd"
)

func main() {
	cmd.RunWebhookServer(os.Getenv("GROUP_NAME"), &solver{})
}
