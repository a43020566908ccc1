package main

import (
	"flag"
	"log"

	"github.com/gofiber/fiber/v2"
)

func main() {
	prefork := flag.Bool("prefork", false, "one worker process per CPU")
	flag.Parse()
	// fiber v2's workers exit once os.Getppid() == 1: started by sh, the master is not PID 1.
	app := fiber.New(fiber.Config{Prefork: *prefork})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	log.Fatal(app.Listen(":8080"))
}
