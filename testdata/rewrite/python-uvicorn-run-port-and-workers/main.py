import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}


if __name__ == "__main__":
    # workers=4 is a count, not a port.
    uvicorn.run("main:app", host="0.0.0.0", port=8000, workers=4)
