# attack: ignores SIGTERM, SIGINT, SIGHUP and SIGXCPU, then sleeps forever in the call
# expect: fail
# status: timeout
# Only SIGKILL stops it, and that is what the sandbox sends.
import signal
import time

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
    signal.signal(sig, signal.SIG_IGN)


def make_weights(values):
    while True:
        time.sleep(1)


grad_of_squares = make_weights
