module example.com/fiberbench

go 1.22

require github.com/gofiber/fiber/v2 v2.52.5
