not matched
