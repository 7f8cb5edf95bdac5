"""Running untrusted student code: `worker` (the untrusted side) and `client` (the trusted side)."""
