package main
import (
	"net/http"
	"github.com/spf13/viper"
)
func main() {
	viper.SetDefault("port", 80)
	viper.AutomaticEnv()
	http.ListenAndServe(":"+viper.GetString("port"), nil)
}
