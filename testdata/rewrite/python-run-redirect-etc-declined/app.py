import configparser
from flask import Flask
cfg = configparser.ConfigParser()
with open("/etc/myapp.ini") as f:
    cfg.read_file(f)
app = Flask(__name__)

@app.get("/")
def index():
    return cfg["app"]["greeting"]

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
