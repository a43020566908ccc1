import os
from flask import Flask
from settings import UPLOAD_DIR
os.makedirs(UPLOAD_DIR, exist_ok=True)
app = Flask(__name__)
app.run(host="0.0.0.0", port=8000)
