"""Accuracy per renderer: generated pages flattened by real tools, read back by the parser.

    .venv/bin/python bench/render_sweep.py [N] [--seed S] [--renderers a,b] [--keep DIR]

N reports per renderer (both templates, every encoding, 5 % with a broken identity). Prints one
line per renderer with the categories of shared/tools/score.py: cells, correct, flagged (no
value though the text decides it), flagged_ambiguous (no value or an inferred one where the
text cannot decide), silent_wrong, reports in error, agency/year wrong, broken reports flagged.
`--keep DIR` writes each renderer's reports that were not all correct, with their gold, there.
A benchmark, not a test: numbers, no asserts.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

from xxgk.synth import ENCODINGS
from xxgk.synth.corpus import write_gold
from xxgk.synth.renderers import RENDERERS, MissingTool, SyntheticReport, render_report
from xxgk.transform.parse import parse_bytes

BROKEN_SHARE = 0.05


def _score(r: SyntheticReport, counts: Counter) -> bool:
    """Add one report's cells to `counts`; whether every cell was right."""
    parsed = parse_bytes(r.data, r.name)
    counts["reports"] += 1
    counts["error"] += parsed.status == "error"
    counts["agency_year_wrong"] += (parsed.agency, parsed.year) != (r.agency, r.year)
    if r.broken:
        counts["broken"] += 1
        counts["broken_flagged"] += any(c.passed is False for c in parsed.checks)
    facts = {(f.code, f.applicant_type): f for f in parsed.facts}
    clean = True
    for key, want in r.gold.items():
        f = facts.get(key)
        counts["cells"] += 1
        if f is not None and f.value == want:
            counts["correct"] += 1
            continue
        clean = False
        if f is None:
            counts["missing"] += 1
        elif key in r.ambiguous and f.flag:
            counts["flagged_ambiguous"] += 1
        elif f.value is None and f.flag:
            counts["flagged"] += 1
        else:
            counts["silent_wrong"] += 1
    return clean


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--renderers", default=",".join(RENDERERS))
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    for name in args.renderers.split(","):
        if (missing := RENDERERS[name].missing()) is not None:
            print(f"{name:17s} skipped: needs the {missing}")
            continue
        rng, counts, kept, start = random.Random(args.seed), Counter(), [], time.perf_counter()
        for i in range(args.n):
            try:
                r = render_report(args.seed * 100_000 + i, name, encoding=rng.choice(ENCODINGS),
                                  version=rng.choice(("2019", "2021")),
                                  broken=rng.random() < BROKEN_SHARE)
            except MissingTool as e:
                print(e)
                break
            if not _score(r, counts) and args.keep:
                kept.append(r)
        if args.keep and kept:
            out = args.keep / name
            out.mkdir(parents=True, exist_ok=True)
            for r in kept:
                (out / r.name).write_bytes(r.data)
            write_gold(kept, out)
        c = counts
        share = (c["correct"] + c["flagged_ambiguous"]) / max(1, c["cells"])
        print(f"{name:17s} reports={c['reports']} cells={c['cells']} correct={share:.4f} "
              f"flagged={c['flagged']} flagged_ambiguous={c['flagged_ambiguous']} "
              f"silent_wrong={c['silent_wrong']} missing={c['missing']} error={c['error']} "
              f"agency_year_wrong={c['agency_year_wrong']} "
              f"broken_flagged={c['broken_flagged']}/{c['broken']} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
