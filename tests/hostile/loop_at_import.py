# attack: an infinite loop at import time (the module never finishes loading)
# expect: fail
# status: timeout
# The import is cut off at the per-test limit once; every test then fails with that timeout.
while True:
    pass
