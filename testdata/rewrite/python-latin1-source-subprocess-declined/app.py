# -*- coding: latin-1 -*-
import subprocess
from flask import Flask
app = Flask(__name__)

@app.route("/disk")
def disk():
    # espaço em disco (não remover)
    return subprocess.run(["df", "-h"], capture_output=True, text=True).stdout
