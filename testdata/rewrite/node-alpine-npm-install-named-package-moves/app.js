const sharp = require("sharp");
const http = require("http");
const PORT = 3000;
http.createServer(async (q, s) => s.end(String(typeof sharp))).listen(PORT);
