"""Writes into the working folder by relative paths: a SQLite database and a folder."""
import os
import sqlite3

db = sqlite3.connect("notes.db")
db.execute("create table notes (body text)")
db.execute("insert into notes values ('kept')")
db.commit()
print("notes:", [row[0] for row in db.execute("select body from notes")])
os.makedirs("uploads", exist_ok=True)
with open(os.path.join("uploads", "a.txt"), "w") as f:
    f.write("uploaded")
print("uploads:", sorted(os.listdir("uploads")))
print("cwd:", os.getcwd())
