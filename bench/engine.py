"""Engine benchmark: time of one Bot.reply, build time and peak memory.

Usage: python bench/engine.py [--sizes 1000,10000,100000] [--repeat 2000]

Each knowledge size runs in its own process so that peak memory (ru_maxrss)
belongs to that size alone. Sizes above the shipped knowledge are generated
entries (a question and two alternates each) next to the shipped ones. The
baseline is a plain TF-IDF nearest neighbour with scikit-learn's defaults.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

QUESTIONS = [
    "is it safe?", "what are the side effects", "any downtime?", "how much is it", "does it work on my tummy",
    "can men have it", "hw long til i c results", "is laser tag fun for kids", "hi",
    "my skin is oozing since my session",
    "will it work on olive or brown skin", "is it better than a facelift", "does it sting", "what is it",
    "can it make cellulite less visible", "Hello, I'm 48 and my neck is getting looser, would this suit me?",
]
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber birch cedar dune ember fern "
         "grove heath iris jade kelp lotus maple nectar olive pine quartz reed sage thyme umber vale willow").split()


def knowledge_of(size: int):
    from bot.knowledge import Entry, load_knowledge

    shipped = load_knowledge(PROJECT / "knowledge")
    rng = random.Random(size)
    extra = []
    for n in range(max(0, size - len(shipped.entries))):
        words = rng.sample(WORDS, 4)
        question = f"what about {words[0]} {words[1]} and {words[2]} number {n}"
        alternates = (f"{words[1]} {words[3]} {n}", f"tell me about {words[2]} {words[0]} {n}")
        extra.append(Entry(f"gen{n}", "answer", question, alternates, "Generated.", "Generated.", (), ()))
    return replace(shipped, entries=shipped.entries + tuple(extra))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(entries: int, build: float, times: list[float]) -> dict[str, float]:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"entries": entries, "build_s": build, "median_ms": statistics.median(times) * 1000,
            "p99_ms": percentile(times, 0.99) * 1000, "peak_mb": peak}


def one_entry():
    """The shipped leaflet with one entry of its own: the leaflet answers the rest (a second index)."""
    from bot.knowledge import load_knowledge

    shipped = load_knowledge(PROJECT / "knowledge")
    first = next(e for e in shipped.entries if e.type == "answer")
    return replace(shipped, entries=(replace(first, follow_ups=()),), starters=(first.id,))


def measure_bot(size: int, repeat: int, leaflet: bool = False) -> dict[str, float]:
    import sklearn.feature_extraction.text  # noqa: F401  (imported before timing: build time is the fit)

    from bot.engine import Bot

    knowledge = one_entry() if leaflet else knowledge_of(size)
    start = time.perf_counter()
    bot = Bot(knowledge)
    build = time.perf_counter() - start
    for q in QUESTIONS:  # warm caches (spelling corrections) as a running server would
        bot.reply(q)
    times = []
    for i in range(repeat):
        q = QUESTIONS[i % len(QUESTIONS)]
        t0 = time.perf_counter()
        bot.reply(q, "bench")
        times.append(time.perf_counter() - t0)
    return summary(len(knowledge.entries), build, times)


def measure_baseline(size: int, repeat: int) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    knowledge = knowledge_of(size)
    rows = [p for e in knowledge.entries for p in e.phrasings]
    start = time.perf_counter()
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform(rows)
    build = time.perf_counter() - start
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        int(linear_kernel(vectorizer.transform([QUESTIONS[i % len(QUESTIONS)]]), matrix).argmax())
        times.append(time.perf_counter() - t0)
    return summary(len(knowledge.entries), build, times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, size = args.one.split(":")
        if kind == "leaflet":
            print(json.dumps(measure_bot(0, args.repeat, leaflet=True)))
            return
        measure = measure_bot if kind == "faqbot" else measure_baseline
        print(json.dumps(measure(int(size), args.repeat)))
        return
    sizes = [0] + [int(s) for s in args.sizes.split(",") if s]
    medians: dict[int, float] = {}
    print(f"{'engine':10s} {'entries':>8s} {'build s':>8s} {'median ms':>10s} {'p99 ms':>8s} {'peak MB':>8s}")
    for size in sizes:
        for kind in ("faqbot", "baseline"):
            repeat = args.repeat if size <= 10000 else max(200, args.repeat // 10)
            out = subprocess.run([sys.executable, __file__, "--one", f"{kind}:{size}", "--repeat", str(repeat)],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(out)
            if kind == "faqbot":
                medians[r["entries"]] = r["median_ms"]
            print(f"{kind:10s} {r['entries']:8d} {r['build_s']:8.2f} {r['median_ms']:10.3f} {r['p99_ms']:8.3f} "
                  f"{r['peak_mb']:8.0f}", flush=True)
    # One entry of its own, the leaflet answering the rest: a second index, asked on every fallback.
    out = subprocess.run([sys.executable, __file__, "--one", "leaflet:0", "--repeat", str(args.repeat)],
                         capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    print(f"{'1+leaflet':10s} {r['entries']:8d} {r['build_s']:8.2f} {r['median_ms']:10.3f} {r['p99_ms']:8.3f} "
          f"{r['peak_mb']:8.0f}", flush=True)
    smallest, largest = min(medians), max(medians)
    print(f"target: median at most 0.2 ms with the shipped knowledge: {medians[smallest]:.3f} ms "
          f"({'met' if medians[smallest] <= 0.2 else 'not met'})")
    if largest >= 100000:
        print(f"target: median at most 5 ms at {largest} entries: {medians[largest]:.3f} ms "
              f"({'met' if medians[largest] <= 5 else 'not met'})")


if __name__ == "__main__":
    main()
