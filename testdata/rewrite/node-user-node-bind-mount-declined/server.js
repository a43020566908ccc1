const fs = require("fs");
const http = require("http");
// append a line per request to a file in the bind-mounted data folder
http.createServer((req, res) => {
  fs.appendFileSync("data/visits.log", new Date().toISOString() + "\n");
  res.end("ok");
}).listen(3000);
