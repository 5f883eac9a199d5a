import sprout
