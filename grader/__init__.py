"""Autograd grader: exercises and quizzes that teach PyTorch's automatic differentiation.

Importing this package must stay cheap: no torch, no pytest, no rich at import time.
"""

__version__ = "0.1.0"
