const express = require('express');
const app = express();
app.get('/', (_q, r) => r.send('ok'));
app.listen(process.env.PORT || 3000);
