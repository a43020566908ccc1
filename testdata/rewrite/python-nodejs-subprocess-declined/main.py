import subprocess; subprocess.run(["node","-v"])
