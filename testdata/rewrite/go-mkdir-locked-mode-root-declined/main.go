package main

import "os"

func main() {
	dir := "files"
	if err := os.Mkdir(dir, 0666); err != nil && !os.IsExist(err) {
		panic(err)
	}
	f, err := os.Create(dir + "/report.csv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
}
