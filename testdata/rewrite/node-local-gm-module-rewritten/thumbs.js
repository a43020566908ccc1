const express = require('express');
const gm = require('./gm');
const app = express();
app.get('/thumb', (req, res) => gm('in.png').resize(100).toBuffer('PNG', (err, buf) => res.send(buf)));
app.listen(3000);
