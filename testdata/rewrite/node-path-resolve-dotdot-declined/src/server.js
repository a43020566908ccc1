const express = require('express');
const fs = require('fs');
const path = require('path');
const dataDir = path.resolve('..', 'data');
fs.mkdirSync(dataDir, { recursive: true });
const app = express();
app.listen(3000);
