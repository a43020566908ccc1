const path = require("path");
module.exports = {
  uploadDir: path.join(__dirname, "..", "..", "uploads"),
};
