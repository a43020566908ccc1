from celery import Celery
app=Celery("tasks", broker="redis://redis:6379/0")
app.conf.beat_schedule={"t":{"task":"tasks.ping","schedule":30.0}}
@app.task
def ping(): return "pong"
