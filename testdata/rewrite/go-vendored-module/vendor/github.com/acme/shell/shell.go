package shell

// Run does nothing outside the process.
func Run() error { return nil }
