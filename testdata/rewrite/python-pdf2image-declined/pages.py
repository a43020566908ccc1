from flask import Flask, send_file
from pdf2image import convert_from_path
from waitress import serve

app = Flask(__name__)


@app.get("/cover")
def cover():
    convert_from_path("/srv/pages/doc.pdf", first_page=1, last_page=1)[0].save("/tmp/cover.png")
    return send_file("/tmp/cover.png")


if __name__ == "__main__":
    serve(app, host="0.0.0.0", port=8000)
