const { fork } = require('child_process');
const http = require('http');
const worker = fork(__dirname + '/worker.js');
http.createServer((q, r) => r.end('ok')).listen(3000);
