# attack: a segmentation fault (reads address 0 through ctypes)
# expect: fail
import ctypes


def make_weights(values):
    return ctypes.string_at(0)


grad_of_squares = make_weights
