class Checker:
    name = 'tb'
