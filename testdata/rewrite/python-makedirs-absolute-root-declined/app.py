import os
from flask import Flask
UPLOADS = "/data/uploads"
os.makedirs(UPLOADS, exist_ok=True)
app = Flask(__name__)
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
