"""`faqbot init` benchmark: seconds to draft and validate a folder, for each example leaflet and a long one.

Usage: python bench/init.py [--repeat 3]

The long leaflet is every example leaflet five times over (27,000 words with nine leaflets);
the goal is under 30 seconds for any leaflet.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bot.knowledge import load_knowledge  # noqa: E402
from bot.scaffold import init_folder  # noqa: E402


def timed(document: Path, repeat: int) -> tuple[float, int]:
    """Median seconds of init and the load that checks it, and the entries drafted."""
    times, entries = [], 0
    for n in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            started = time.perf_counter()
            entries = len(init_folder(Path(scratch) / f"run{n}", document, None, None))
            load_knowledge(Path(scratch) / f"run{n}")
            times.append(time.perf_counter() - started)
    return statistics.median(times), entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    leaflets = [PROJECT / "knowledge" / "laser-skin-tightening.txt", *sorted(PROJECT.glob("examples/*/*.txt"))]
    with tempfile.TemporaryDirectory() as scratch:
        long = Path(scratch) / "long-leaflet.txt"
        long.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in leaflets * 5), encoding="utf-8")
        for document in [*leaflets, long]:
            seconds, entries = timed(document, args.repeat)
            words = len(document.read_text(encoding="utf-8").split())
            print(f"{document.name:32s} {words:6d} words {entries:4d} entries  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
