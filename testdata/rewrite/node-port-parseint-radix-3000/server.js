const express = require('express');
const port = parseInt(process.env.PORT, 10) || 3000;
express().listen(port);
