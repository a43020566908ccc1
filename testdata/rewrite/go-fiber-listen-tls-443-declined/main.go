package main
import "github.com/gofiber/fiber/v2"
func main() {
	app := fiber.New()
	app.ListenTLS(":443", "./cert.pem", "./cert.key")
}
