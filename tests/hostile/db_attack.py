# attack: opens the grading database (the real --db of this run) and marks every attempt
#         passed, then inserts a forged passing attempt
# expect: fail
# Rows are written only by the trusted process, after grading; the worker's environment holds no
# database path; where mounts are allowed the database is hidden and the filesystem read-only.
import sqlite3

import torch

DB = "{{DB_PATH}}"


def make_weights(values):
    try:
        conn = sqlite3.connect(DB, timeout=2)
        conn.execute("update attempts set passed = 1, score = max_score")
        conn.execute(
            "insert into attempts (student_id, exercise, slug, passed, score, max_score, complete,"
            " origin, seed) select id, 'exercise1', 'requires-grad', 1, 5.0, 5.0, 1, 'local', 7"
            " from students"
        )
        conn.commit()
        print("forged the database")
    except Exception as exc:
        print("database attack failed:", type(exc).__name__, exc)
    return torch.tensor(values)


grad_of_squares = make_weights
