from os import *

from flask import Flask, jsonify

app = Flask(__name__)
HERE = path.dirname(__file__)


@app.get("/status")
def status():
    return jsonify(name=environ.get("NAME", "status"), here=HERE)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
