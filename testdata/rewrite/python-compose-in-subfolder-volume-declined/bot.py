import sqlite3, os
os.makedirs("data", exist_ok=True)
db = sqlite3.connect("data/bot.db")
db.execute("create table if not exists users(id integer primary key)")
