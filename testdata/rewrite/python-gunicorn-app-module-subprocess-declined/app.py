import subprocess
from flask import Flask
app = Flask(__name__)

@app.get('/uptime')
def uptime():
    return subprocess.check_output(['uptime'], text=True)
