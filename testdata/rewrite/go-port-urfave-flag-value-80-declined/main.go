package main
import (
	"fmt"
	"net/http"
	"os"
	"github.com/urfave/cli/v2"
)
func main() {
	app := &cli.App{
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "port", Value: 80, EnvVars: []string{"PORT"}},
		},
		Action: func(c *cli.Context) error {
			return http.ListenAndServe(fmt.Sprintf(":%d", c.Int("port")), nil)
		},
	}
	app.Run(os.Args)
}
