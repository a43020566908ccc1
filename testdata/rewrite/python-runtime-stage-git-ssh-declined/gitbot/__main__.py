import git
repo = git.Repo.clone_from("git@github.com:org/repo.git", "/tmp/repo")
