package main

import (
	"log"
	"net/http"
	"os"

	"gopkg.in/yaml.v3"
)

// Settings come from config/archiver.yaml; the folder the archive is kept in is one.
type Settings struct {
	Listen  string `yaml:"listen"`
	DataDir string `yaml:"data_dir"`
}

func main() {
	raw, err := os.ReadFile("/etc/archiver/archiver.yaml")
	if err != nil {
		log.Fatal(err)
	}
	var s Settings
	if err := yaml.Unmarshal(raw, &s); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(s.DataDir, 0o755); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(s.Listen, nil))
}
