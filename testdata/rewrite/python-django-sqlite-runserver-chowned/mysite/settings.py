from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY="x"
DEBUG=False
ALLOWED_HOSTS=["*"]
INSTALLED_APPS=["django.contrib.staticfiles"]
ROOT_URLCONF="mysite.urls"
DATABASES={"default":{"ENGINE":"django.db.backends.sqlite3","NAME":BASE_DIR / "db.sqlite3"}}
STATIC_URL="static/"
STATIC_ROOT=BASE_DIR / "staticfiles"
