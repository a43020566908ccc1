module example.com/statekeeper

go 1.23
