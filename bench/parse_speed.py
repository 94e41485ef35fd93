"""Reports per second of `xxgk parse` on generated reports (all layouts and encodings).

    .venv/bin/python bench/parse_speed.py [N] [--seed S]

Prints the in-process rate (parse only, and parse + JSON) and the rate of the `xxgk parse
--format json` command on the same files, per core. A benchmark, not a test: numbers, no asserts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xxgk.synth import write_corpus
from xxgk.transform.parse import parse_bytes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reports = write_corpus(tmp, args.n, seed=args.seed)
        files = sorted(p for p in Path(tmp).iterdir() if p.name not in ("gold.csv", "meta.csv"))
        blobs = [(str(p), p.read_bytes()) for p in files]
        t = time.perf_counter()
        parsed = [parse_bytes(data, name) for name, data in blobs]
        parse_s = time.perf_counter() - t
        t = time.perf_counter()
        for r in parsed:
            json.dumps(r.to_dict(), ensure_ascii=False)
        json_s = time.perf_counter() - t
        cli = Path(sys.executable).with_name("xxgk")
        t = time.perf_counter()
        subprocess.run([str(cli), "parse", *map(str, files), "--format", "json"],
                       stdout=subprocess.DEVNULL, check=False)
        cli_s = time.perf_counter() - t
    n = len(reports)
    print(f"{n} generated reports, {sum(len(d) for _, d in blobs) / n / 1024:.1f} KiB each")
    print(f"parse in process:        {n / parse_s:8.0f} reports/s ({parse_s / n * 1e3:.2f} ms)")
    print(f"parse + JSON in process: {n / (parse_s + json_s):8.0f} reports/s")
    print(f"xxgk parse --format json: {n / cli_s:7.0f} reports/s  (one process, start-up included)")


if __name__ == "__main__":
    main()
