'use strict';
// Starts an HTTP server on loopback, requests a page from it, prints what came back, and stops.
const http = require('node:http');
const crypto = require('node:crypto');

const server = http.createServer((req, res) => {
  const body = JSON.stringify({ path: req.url, env: process.env.NODE_ENV || 'unset' });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  http.get({ host: '127.0.0.1', port, path: '/hello' }, (res) => {
    let data = '';
    res.on('data', (chunk) => { data += chunk; });
    res.on('end', () => {
      console.log(`node ${process.versions.node.split('.')[0]}: GET /hello -> ${res.statusCode} ${data}`);
      console.log('sha256(dfslim) starts', crypto.createHash('sha256').update('dfslim').digest('hex').slice(0, 12));
      const when = new Date(1700000000 * 1000);
      console.log('1700000000 in Paris:', when.toLocaleString('en-GB', { timeZone: 'Europe/Paris' }));
      server.close();
    });
  }).on('error', (err) => { console.error(err); process.exit(3); });
});
