bind = '0.0.0.0:8000'
accesslog = '/var/log/gunicorn/access.log'
errorlog = '/var/log/gunicorn/error.log'
pidfile = '/var/run/gunicorn.pid'
