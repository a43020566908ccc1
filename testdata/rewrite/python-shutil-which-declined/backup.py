import shutil, subprocess
tar = shutil.which('tar')
subprocess.run([tar, 'czf', '/tmp/b.tgz', '/data'], check=True)
