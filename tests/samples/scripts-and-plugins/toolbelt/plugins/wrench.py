class Wrench:
    pass
