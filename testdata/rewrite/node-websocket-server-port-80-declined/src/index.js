const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ port: 80 });
wss.on('connection', (ws) => ws.send('hi'));
