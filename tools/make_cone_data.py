"""Write assets/data/cone.csv, the two-input data set shipped: run once, kept to show how.

A cone over the unit square: height 1 at the centre (0.5, 0.5), falling straight to 0 at
distance 0.5 from it (the circle touching the square's sides), and 0 beyond (the corners):
target = max(0, 1 - 2 sqrt((x1 - 0.5)^2 + (x2 - 0.5)^2)). Its sides are round, and ReLU
units fold along straight lines: one unit makes one crease, a roof at best; a few make a
pyramid of flat faces around the peak that comes close (three units: six faces), and
training moves their creases towards the peak while the error falls. (A square pyramid
would be too easy: two creases along its diagonals make it exactly.)

The points are seeded random places in the square, and its four corners, so the inputs'
ranges are 0 to 1; every number is written with three decimals, the target computed from
the point as written.

    .venv/bin/python tools/make_cone_data.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 25  # issue 25
ROWS = 400
OUT = Path(__file__).resolve().parent.parent / "assets" / "data" / "cone.csv"


def cone(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - 2.0 * np.hypot(x1 - 0.5, x2 - 0.5))


def main() -> None:
    rng = np.random.default_rng(SEED)
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    points = np.round(np.vstack([corners, rng.uniform(0.0, 1.0, (ROWS - len(corners), 2))]), 3)
    target = np.round(cone(points[:, 0], points[:, 1]), 3)
    lines = ["x1,x2,target"] + [f"{a:.3f},{b:.3f},{t:.3f}" for (a, b), t in zip(points, target)]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}: {ROWS} rows")


if __name__ == "__main__":
    main()
