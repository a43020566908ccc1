import argparse
from flask import Flask
p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=8000)
p.add_argument("--upstream-port", type=int, default=443)
p.add_argument("--smtp-port", type=int, default=25)
a = p.parse_args()
Flask(__name__).run(host="0.0.0.0", port=a.port)
