import os
from dotenv import load_dotenv
from waitress import serve
from app import app
load_dotenv()
if __name__ == '__main__':
    serve(app, host='0.0.0.0', port=int(os.environ['PORT']))
