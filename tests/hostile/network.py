# attack: network access: connects to a server on 127.0.0.1 (started by the test), an outside
#         address and DNS, to exfiltrate or fetch answers
# expect: fail
# Where the machine allows it the worker has its own network namespace: no interface is up.
import socket

import torch

PORT = int("{{PORT}}")


def make_weights(values):
    for target in (("127.0.0.1", PORT), ("1.1.1.1", 53), ("8.8.8.8", 443)):
        try:
            with socket.create_connection(target, timeout=0.5) as s:
                s.sendall(b"leak")
            print("connected to", target)
        except OSError as exc:
            print("no connection to", target, exc)
    try:
        socket.getaddrinfo("example.com", 80)
        print("DNS works")
    except OSError as exc:
        print("no DNS", exc)
    return torch.tensor(values)


grad_of_squares = make_weights
