package main

import (
	"fmt"
	"log"
	"net/http"

	"github.com/caarlos0/env/v11"
)

// The mail server's port is where the app sends mail, not where it listens.
type Config struct {
	Port     int    `env:"PORT" envDefault:"8080"`
	SMTPPort int    `env:"SMTP_PORT" envDefault:"25"`
	SMTPHost string `env:"SMTP_HOST" envDefault:"mail"`
}

func main() {
	var cfg Config
	if err := env.Parse(&cfg); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", cfg.Port), nil))
}
