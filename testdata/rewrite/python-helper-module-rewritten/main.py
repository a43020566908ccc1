from waitress import serve
from app import app
from backup import make_tarball

make_tarball("/app/static")

if __name__ == "__main__":
    serve(app, host="0.0.0.0", port=8000)
