const http = require('http');
const version = process.env.npm_package_version;
http.createServer((q, r) => r.end(version)).listen(process.env.PORT);
