module example.com/stateaction

go 1.22
