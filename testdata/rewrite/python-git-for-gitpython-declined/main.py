import git
print(git.Repo(".").head)
