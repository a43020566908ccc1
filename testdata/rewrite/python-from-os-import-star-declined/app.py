from os import *

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/status")
def status():
    disk = popen("df -h /").read().splitlines()[-1].split()
    return jsonify(name=environ.get("NAME", "status"), disk_used=disk[4])


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
