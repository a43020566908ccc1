SECRET_KEY="x"
INSTALLED_APPS=["django.contrib.auth","django.contrib.contenttypes"]
ROOT_URLCONF="mysite.urls"
DATABASES={"default":{"ENGINE":"django.db.backends.postgresql","NAME":"app","USER":"app","PASSWORD":"app","HOST":"db"}}
