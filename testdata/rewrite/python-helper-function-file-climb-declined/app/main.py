import os
from flask import Flask
from paths import data_dir
os.makedirs(data_dir(), exist_ok=True)
app = Flask(__name__)
@app.route("/")
def index():
    return "ok"
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
