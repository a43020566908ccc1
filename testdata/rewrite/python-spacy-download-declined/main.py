import spacy
from fastapi import FastAPI

try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    spacy.cli.download("en_core_web_sm")
    nlp = spacy.load("en_core_web_sm")

app = FastAPI()

@app.get("/ents")
def ents(text: str):
    return [(e.text, e.label_) for e in nlp(text).ents]
