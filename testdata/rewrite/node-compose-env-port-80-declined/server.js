const express = require("express");
const app = express();
app.get("/", (q, s) => s.send("hello"));
app.listen(process.env.PORT || 3000);
