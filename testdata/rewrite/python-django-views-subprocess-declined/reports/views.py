import subprocess
def pdf(r):
    subprocess.run('tar czf /tmp/r.tgz media', shell=True)
