from pathlib import Path

from flask import Flask

BASE_DIR = Path(__file__).resolve().parent.parent
LOGS = BASE_DIR / "logs"
LOGS.mkdir(exist_ok=True)

app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
