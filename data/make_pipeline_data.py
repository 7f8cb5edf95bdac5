"""Make data/pipeline.csv: the pipeline exercise's data set (seed 000's 1000 rows × 10 features).

Run it from anywhere: `python data/make_pipeline_data.py [--out DIR]`. It is seeded and uses only
the standard library (Python's Mersenne Twister, fixed-precision text), so every run on every
machine writes the same bytes; tests/test_course.py checks that.

Each row holds 10 features drawn from a standard normal distribution and a binary label drawn
from a logistic model of a fixed hidden weight vector, so even the best possible classifier
misclassifies a few percent of rows: the exercise's accuracy target sits below that ceiling.
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

SEED = 0
ROWS = 1000
FEATURES = 10
SCALE = 2.0  # sharpness of the logistic labels: larger is cleaner
FILENAME = "pipeline.csv"


def generate(seed: int = SEED, rows: int = ROWS, features: int = FEATURES) -> list[tuple[list[float], int]]:
    rng = random.Random(seed)
    weights = [rng.choice((-1, 1)) * rng.uniform(0.3, 1.5) for _ in range(features)]
    data = []
    for _ in range(rows):
        x = [round(rng.gauss(0.0, 1.0), 4) for _ in range(features)]
        logit = SCALE * sum(w * v for w, v in zip(weights, x))
        label = 1 if rng.random() < 1.0 / (1.0 + math.exp(-logit)) else 0
        data.append((x, label))
    return data


def write(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILENAME
    lines = [",".join([f"x{i + 1}" for i in range(FEATURES)] + ["label"])]
    for x, label in generate():
        lines.append(",".join([f"{v:.4f}" for v in x] + [str(label)]))
    path.write_text("\n".join(lines) + "\n", encoding="ascii", newline="\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="folder to write into")
    print(write(parser.parse_args().out))


if __name__ == "__main__":
    main()
