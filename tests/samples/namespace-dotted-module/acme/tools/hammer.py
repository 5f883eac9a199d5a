def hit():
    return 'bang'
