module example.com/backupsvc

go 1.23
