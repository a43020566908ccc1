package main

import (
	"net/http"
	"os/exec"
)

// commandContext is a test seam for creating commands (idiom seen in many repos:
// `var commandContext = exec.CommandContext`, `var cmdRunner = exec.Command`).
var commandContext = exec.CommandContext

func handler(w http.ResponseWriter, r *http.Request) {
	// tar and gzip are in every alpine/debian final image (busybox / coreutils)
	out, err := commandContext(r.Context(), "sh", "-c", "tar -czf /tmp/backup.tgz /etc/hostname && echo ok").CombinedOutput()
	if err != nil {
		http.Error(w, err.Error(), 500) // distroless: exec: "sh": executable file not found in $PATH
		return
	}
	w.Write(out)
}

func main() {
	http.HandleFunc("/backup", handler)
	http.ListenAndServe(":8080", nil)
}
