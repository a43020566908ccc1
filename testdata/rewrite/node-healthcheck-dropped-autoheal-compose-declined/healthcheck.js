// exits 0 when the server answers, 1 otherwise
require("http").get("http://127.0.0.1:3000/", r => process.exit(r.statusCode < 500 ? 0 : 1)).on("error", () => process.exit(1));
