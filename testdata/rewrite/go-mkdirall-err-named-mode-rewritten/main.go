package main

import (
	"os"
	"path/filepath"
)

// save writes the state file, making its folder first. `err` is given the result of a
// call that has a mode argument; it is not a mode itself.
func save(path string, data []byte) error {
	err := os.WriteFile(path, data, 0600)
	if os.IsNotExist(err) {
		if err := os.MkdirAll(filepath.Dir(path), 0755); err != nil {
			return err
		}
		err = os.WriteFile(path, data, 0600)
	}
	return err
}

func main() {
	if err := save("/tmp/statekeeper/state.json", []byte("{}")); err != nil {
		panic(err)
	}
}
