def register(app):
    @app.get("/disk")
    def disk():
        from .tools import disk_usage
        return disk_usage()
