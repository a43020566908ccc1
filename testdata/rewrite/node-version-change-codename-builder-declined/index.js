const db=require("better-sqlite3")(":memory:"); require("express")().listen(3000)
