package runner

// Run does the work in Go.
func Run() error { return nil }
