from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY="x"
DEBUG=False
ALLOWED_HOSTS=["*"]
INSTALLED_APPS=["django.contrib.staticfiles"]
ROOT_URLCONF="mysite.urls"
DATABASES={"default":{"ENGINE":"django.db.backends.postgresql","NAME":"app","HOST":"db"}}
STATIC_URL="static/"
STATIC_ROOT=BASE_DIR / "staticfiles"
