DATABASES={'default':{'ENGINE':'django.db.backends.postgresql','NAME':'x'}}
INSTALLED_APPS=['reports']
ROOT_URLCONF='mysite.urls'
