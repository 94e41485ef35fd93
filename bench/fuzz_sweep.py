"""A larger fuzz sweep than the tests run: real reports mutated at random, parsed unguarded.

    .venv/bin/python bench/fuzz_sweep.py [N] [--seed S] [--show K]

Mutates the bundled samples and ../shared/corpus's reports (read in place, never copied) N
times in all (xxgk.synth.mutate: lines deleted, doubled, swapped, digits changed, cuts, odd
characters, six encodings, cuts mid-character) and prints per source group how many came back
in each status, how many crashed the parser (an exception escaping `parse_unguarded`), how
many took over 1 s, and the slowest; the first K crashes with the mutations that replay them.
A benchmark, not a test: counts, no asserts.
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from collections import Counter
from pathlib import Path

from xxgk.extract.decode import decode
from xxgk.synth.mutate import ENCODINGS, mutated, random_mutations
from xxgk.transform.parse import parse_unguarded

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SLOW_SECONDS = 1.0


def sources() -> dict[str, list[tuple[str, str]]]:
    groups = {"samples": sorted((ROOT / "data" / "raw").iterdir()),
              "real": sorted([*CORPUS.glob("reports/*.txt"),
                              *CORPUS.glob("realscale/reports/*.txt")])}
    return {g: [(p.name, decode(p.read_bytes()).text) for p in paths]
            for g, paths in groups.items() if paths}


def sweep(texts: list[tuple[str, str]], n: int, rng: random.Random, show: int) -> None:
    statuses: Counter[str] = Counter()
    crashes, slow, slowest = 0, 0, (0.0, "")
    for _ in range(n):
        name, text = rng.choice(texts)
        mutations, encoding = random_mutations(rng), rng.choice(ENCODINGS)
        cut = rng.random() if rng.random() < 0.2 else None
        data = mutated(text, mutations, encoding, cut)
        started = time.process_time()
        try:
            statuses[parse_unguarded(data, name).status] += 1
        except Exception:
            crashes += 1
            if crashes <= show:
                print(f"  CRASH {name} {encoding} cut={cut} {mutations}\n"
                      + traceback.format_exc(limit=-3))
        took = time.process_time() - started
        slow += took > SLOW_SECONDS
        slowest = max(slowest, (took, name))
    print(f"  {n} mutated reports: " + ", ".join(f"{s} {c}" for s, c in statuses.most_common())
          + f"; crashes {crashes}; over {SLOW_SECONDS:.0f} s: {slow}; "
          f"slowest {slowest[0] * 1000:.0f} ms ({slowest[1]})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=3, help="Crashes to print in full.")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    groups = sources()
    for group, texts in groups.items():
        print(f"{group}: {len(texts)} reports")
        sweep(texts, args.n // len(groups), rng, args.show)


if __name__ == "__main__":
    main()
