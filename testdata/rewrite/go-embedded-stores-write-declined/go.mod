module example.com/kv

go 1.22

require (
	github.com/dgraph-io/badger/v4 v4.2.0
	github.com/tidwall/buntdb v1.3.0
)
