import subprocess

def make_tarball(path):
    subprocess.run(["tar", "czf", "/tmp/static.tgz", path], check=True)
