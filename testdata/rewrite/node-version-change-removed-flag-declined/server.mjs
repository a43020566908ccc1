import http from "node:http";
http.createServer((q, r) => r.end("ok")).listen(8080);
