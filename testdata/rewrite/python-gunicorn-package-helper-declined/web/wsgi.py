from flask import Flask
from .views import register

app = Flask(__name__)
register(app)
