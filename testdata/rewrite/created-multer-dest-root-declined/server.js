const express = require('express');
const multer = require('multer');
const upload = multer({ dest: '/var/uploads' });
const app = express();
app.post('/upload', upload.single('file'), (req, res) => res.json(req.file));
app.listen(3000);
