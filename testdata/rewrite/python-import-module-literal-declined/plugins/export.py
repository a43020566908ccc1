import subprocess
def run():
    subprocess.run(['tar','czf','/tmp/a.tgz','data'])
