module example.com/pkglist

go 1.23

require golang.org/x/tools v0.28.0
