const express = require('express');
const fs = require('fs');
const { dataDir } = require('./paths');
fs.mkdirSync(dataDir(), { recursive: true });
const app = express();
app.listen(3000);
