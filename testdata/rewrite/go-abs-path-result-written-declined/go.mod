module example.com/statewriter

go 1.24
