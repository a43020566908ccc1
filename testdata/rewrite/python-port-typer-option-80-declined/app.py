import typer, uvicorn
from fastapi import FastAPI
app = FastAPI()
def main(host: str = "0.0.0.0", port: int = typer.Option(80, help="port")):
    uvicorn.run(app, host=host, port=port)
if __name__ == "__main__":
    typer.run(main)
