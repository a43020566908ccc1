import express from "express";
import fs from "fs";
import path from "path";

// Beside the entry file: /app/uploads.
const uploads = path.join(__dirname, "uploads");
fs.mkdirSync(uploads, { recursive: true });

const app = express();
app.listen(3000);
