from flask import Flask
import importlib
app = Flask(__name__)
plugin = importlib.import_module('plugins.export')
