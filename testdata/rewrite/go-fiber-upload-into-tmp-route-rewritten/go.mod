module example.com/fiberup

go 1.24

require github.com/gofiber/fiber/v2 v2.52.5
