package main

import "os/user"

func main() { user.Current() }
