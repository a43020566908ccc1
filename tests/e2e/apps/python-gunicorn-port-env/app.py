"""A WSGI application served by gunicorn: a greeting, and a sum of query numbers."""

import json
import sys
from urllib.parse import parse_qs


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/":
        body = {"hello": "gunicorn", "python": "%d.%d" % sys.version_info[:2]}
    elif path == "/sum":
        numbers = parse_qs(environ.get("QUERY_STRING", "")).get("n", [])
        body = {"sum": sum(int(n) for n in numbers)}
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]
    data = (json.dumps(body, sort_keys=True) + "\n").encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(data)))])
    return [data]
