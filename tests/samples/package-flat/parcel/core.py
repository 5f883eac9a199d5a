def wrap(x):
    return [x]
