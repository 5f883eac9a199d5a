print('basic')
