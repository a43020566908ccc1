package main
import (
	"fmt"
	"time"
)
func main() { l, _ := time.LoadLocation("UTC"); fmt.Println(time.Now().In(l)) }
