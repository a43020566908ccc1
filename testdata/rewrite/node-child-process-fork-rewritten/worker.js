process.on('message', (m) => process.send(m));
