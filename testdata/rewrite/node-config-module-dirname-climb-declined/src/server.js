const express = require("express");
const fs = require("fs");
const config = require("./config");
fs.mkdirSync(config.uploadDir, { recursive: true });
express().listen(3000);
