import http.server
import socketserver

with socketserver.TCPServer(("", 80), http.server.SimpleHTTPRequestHandler) as httpd:
    httpd.serve_forever()
