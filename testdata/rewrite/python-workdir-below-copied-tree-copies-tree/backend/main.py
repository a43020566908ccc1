from dotenv import load_dotenv
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
load_dotenv()
app = FastAPI()
app.mount("/", StaticFiles(directory="../frontend/dist", html=True), name="static")
