import os, yaml
from flask import Flask
cfg = yaml.safe_load(open("config.yaml"))
os.makedirs(cfg["storage"]["path"], exist_ok=True)
app = Flask(__name__)
app.run(host="0.0.0.0", port=8000)
