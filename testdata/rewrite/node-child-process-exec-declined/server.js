const { exec } = require('child_process');
const express = require('express');
const app = express();
app.get('/disk', (q, r) => exec('df -h /', (e, out) => r.send(out)));
app.listen(3000);
