from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
DEBUG = False
ALLOWED_HOSTS = ['*']
INSTALLED_APPS = ['django.contrib.contenttypes']
ROOT_URLCONF = 'urls'
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}
LOGGING = {
    'version': 1,
    'handlers': {'file': {'class': 'logging.FileHandler', 'filename': BASE_DIR / 'logs' / 'django.log'}},
    'root': {'handlers': ['file'], 'level': 'INFO'},
}
