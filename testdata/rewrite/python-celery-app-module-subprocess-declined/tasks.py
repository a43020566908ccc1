from celery import Celery
import subprocess
app = Celery('t')
@app.task
def z():
    subprocess.run(['gzip','-k','/tmp/x'])
