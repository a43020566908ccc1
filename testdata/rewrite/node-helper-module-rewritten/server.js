const express = require('express');
const { freeSpace } = require('./lib/disk');

const app = express();
app.get('/disk', async (req, res) => res.send(await freeSpace()));
app.listen(3000);
