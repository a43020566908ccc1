DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': '/var/lib/mysite.sqlite3'}}
LOGGING = {'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler', 'filename': '/var/log/django.log'}}, 'root': {'handlers': ['f']}}
