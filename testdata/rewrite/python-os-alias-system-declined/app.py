import os as o
from flask import Flask
app = Flask(__name__)

@app.get('/info')
def info():
    o.system('date > /tmp/started')
    return 'ok'

if __name__ == '__main__':
    app.run(host='0.0.0.0', port=5000)
