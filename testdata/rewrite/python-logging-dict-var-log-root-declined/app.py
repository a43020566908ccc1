import logging.config

from flask import Flask

LOGGING = {
    "version": 1,
    "handlers": {
        "file": {"class": "logging.FileHandler", "filename": "/var/log/notes/app.log"},
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
logging.config.dictConfig(LOGGING)

app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
