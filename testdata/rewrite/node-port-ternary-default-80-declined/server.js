const express = require('express');
const port = process.env.PORT ? Number(process.env.PORT) : 80;
express().listen(port);
