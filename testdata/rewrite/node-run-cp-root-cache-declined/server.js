const fs = require("fs");
const data = fs.readFileSync("/root/.cache/app/data.bin");   // put there at build time
require("http").createServer((q, s) => s.end(data)).listen(3000);
