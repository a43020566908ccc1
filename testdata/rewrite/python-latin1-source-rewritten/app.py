# -*- coding: latin-1 -*-
from flask import Flask
app = Flask(__name__)

@app.route("/disk")
def disk():
    # espaço em disco (não remover)
    return "ok"
