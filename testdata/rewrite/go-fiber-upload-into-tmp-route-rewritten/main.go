package main

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

func main() {
	app := fiber.New()
	app.Post("/upload", func(c *fiber.Ctx) error {
		file, err := c.FormFile("document")
		if err != nil {
			return err
		}
		// Into /tmp, which any user may write; the route's "/upload" is not a path.
		return c.SaveFile(file, fmt.Sprintf("/tmp/uploads/%s", file.Filename))
	})
	app.Listen(":3000")
}
