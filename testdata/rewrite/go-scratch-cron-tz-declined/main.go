package main
import (
	"github.com/robfig/cron/v3"
)
func main() { c := cron.New(); c.AddFunc("CRON_TZ=Asia/Tokyo 30 04 * * *", func() {}); c.Run() }
