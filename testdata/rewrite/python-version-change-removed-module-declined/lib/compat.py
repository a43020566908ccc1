import imp


def load_plugin(path):
    return imp.load_source("plugin", path)
