const express = require("express");
const port = process.argv[process.argv.indexOf("--port") + 1];
express().listen(port);
