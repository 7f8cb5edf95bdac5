"""Running untrusted student code: everything here guarantees that the student's file runs only in
a separate, confined worker process and that nothing it sends back is trusted.

| module | holds |
|---|---|
| client | the trusted side: starts sessions, enforces wall-clock limits, decodes replies |
| worker | the untrusted side (a standalone script): the zygote and the session that runs student code |
| wire | the protocol both sides share: framing, tags, (de)serialisation |
| values | reply data seen from the trusted side: tensors and opaque handles (RemoteObject) |
| confine | a session's confinement: cgroups, namespaces, the filesystem view, dropped privileges |
| hugepages | backing the warm zygote with huge pages, so that forks are cheaper |
| protected | files no later session may see (the database), registered without loading the sandbox |
| errors | what can go wrong calling into the worker |
"""
