# attack: raise SystemExit(0) while the module is imported
# expect: fail
import sys

print("OK: 3 passed")
sys.exit(0)
