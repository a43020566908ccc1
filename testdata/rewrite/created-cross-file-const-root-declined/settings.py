UPLOAD_DIR = "/data/uploads"
