import sqlite3

from flask import Flask, redirect, request

app = Flask(__name__)
DATABASE = "notes.db"


def init_db():
    # The schema's parentheses are text inside a string that spans lines.
    with sqlite3.connect(DATABASE) as conn:
        conn.execute("""
            CREATE TABLE IF NOT EXISTS notes (
                id INTEGER PRIMARY KEY,
                body TEXT NOT NULL
            )""")


@app.route("/notes", methods=["POST"])
def add_note():
    with sqlite3.connect(DATABASE) as conn:
        conn.execute("INSERT INTO notes (body) VALUES (?)", (request.form["body"],))
    return redirect("/")


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
