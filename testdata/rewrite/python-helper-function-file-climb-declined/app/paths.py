import os
def data_dir():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data")
