# Python 3.11 from Debian 12's packages: distroless carries 3.13 on Debian 13, and its
# Debian 12 images are past their support. A trace keeps the modules this app imports,
# including the C ones Python opens at run time (_sqlite3, _json).
import json
import sqlite3
import sys

db = sqlite3.connect(":memory:")
db.execute("create table stock (item text, qty int)")
db.executemany("insert into stock values (?, ?)", [("pear", 3), ("fig", 12), ("kiwi", 2)])
rows = db.execute("select item, qty from stock where qty > 2 order by item").fetchall()
print(json.dumps({"python": "%d.%d" % sys.version_info[:2], "rows": rows}))
