package main
import (
	"database/sql"
	"log"
	_ "github.com/go-sql-driver/mysql"
)
func main() {
	db, err := sql.Open("mysql", "app:secret@tcp(db:3306)/app?charset=utf8mb4&parseTime=True&loc=Asia%2FShanghai")
	if err != nil { log.Fatal(err) }
	log.Fatal(db.Ping())
}
