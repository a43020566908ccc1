import tarfile

def make_tarball(path):
    with tarfile.open("/tmp/static.tgz", "w:gz") as tar:
        tar.add(path)
