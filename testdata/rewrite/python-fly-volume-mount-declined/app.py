import os, sqlite3
from flask import Flask
app = Flask(__name__)
DB = os.environ.get('DATABASE_PATH', 'app.db')

@app.get('/')
def index():
    con = sqlite3.connect(DB)
    con.execute('create table if not exists hits (n int)')
    con.execute('insert into hits values (1)')
    con.commit()
    return 'ok'

if __name__ == '__main__':
    app.run(host='0.0.0.0', port=8000)
