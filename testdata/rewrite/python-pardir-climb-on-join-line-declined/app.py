import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, 'data')
os.makedirs(DATA, exist_ok=True)
with open(os.path.join(DATA, 'x.txt'), 'w') as f:
    f.write('x')
