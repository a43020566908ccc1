from celery import Celery
app = Celery("proj", broker="redis://redis:6379/0")
