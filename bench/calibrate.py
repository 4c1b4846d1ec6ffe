"""Fit the confidence calibration and write bot/data/calibration.json.

Usage: python bench/calibrate.py [--check]

The labelled questions below are ranked exactly as the bot ranks them; a
logistic regression learns P(answering the top entry is right) from the
features the bot computes (bot/calibration.py). Two clinics' questions are
used, so that the decision carries over to wording and knowledge it has not
seen. The held-aside files are never read here. --check only refits and
says whether the file is current (the test suite does the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bot.calibration import PATH, fit, load_calibration, save_calibration  # noqa: E402

SOURCES = [
    "knowledge:tests/data/tune.csv",
    "knowledge:tests/data/formal-laser.yaml",
    "examples/hearing-aids:tests/data/hearing-aids/blind-a.yaml",
    "examples/hearing-aids:tests/data/hearing-aids/formal.yaml",
]


def main() -> None:
    fitted = fit(PROJECT, SOURCES)
    print(f"bias {fitted.bias:.4f}, coefficients " + ", ".join(f"{c:.4f}" for c in fitted.coefficients))
    if "--check" in sys.argv:
        same = fitted.close_to(load_calibration())
        print("calibration.json is current" if same else "calibration.json is stale: run python bench/calibrate.py")
        raise SystemExit(0 if same else 1)
    save_calibration(fitted)
    print(f"written to {PATH.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
