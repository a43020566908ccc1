const express = require("express");
const app = express();
app.get("/", (req, res) => res.send("ok"));
const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
app.listen(port, () => console.log(`listening on ${port}`));
