class Fancy:
    level: int
