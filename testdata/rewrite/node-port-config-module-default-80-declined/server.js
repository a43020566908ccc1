const cfg=require("./config");
require("http").createServer().listen(cfg.port);
