const express = require("express");

const flag = process.argv.indexOf("--port");
const port = flag > 0 ? Number(process.argv[flag + 1]) : 3000;
express()
  .get("/", (req, res) => res.send("ok"))
  .listen(port);
