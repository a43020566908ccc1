module example.com/app

go 1.23

require github.com/go-sql-driver/mysql v1.8.1
