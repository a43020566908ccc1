import argparse
from http.server import HTTPServer, SimpleHTTPRequestHandler

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()

HTTPServer(("", args.port), SimpleHTTPRequestHandler).serve_forever()
