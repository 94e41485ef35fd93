"""Files per second of the nightly run, `xxgk ingest`, on generated reports, and its memory.

    .venv/bin/python bench/ingest_speed.py [N] [--seed S] [--workers W]

Runs the command itself (Prefect's temporary server included) on N new files, then again with
nothing changed, and prints wall time, files/s and the peak resident memory of the run. A
benchmark, not a test: numbers, no asserts.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xxgk.synth import write_corpus


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    cli = str(Path(sys.executable).with_name("xxgk"))
    with tempfile.TemporaryDirectory() as tmp:
        raw, db = Path(tmp, "raw"), Path(tmp, "w.duckdb")
        write_corpus(raw, args.n, seed=args.seed)
        for gold in ("gold.csv", "meta.csv"):  # the generator's answers are no reports
            (raw / gold).unlink()
        command = [cli, "ingest", "--raw", str(raw), "--db", str(db)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        first = _run(command)
        again = _run(command)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mib = db.stat().st_size / 2**20
    print(f"{args.n} new files:       {first:6.1f} s  ({args.n / first:5.0f} files/s, "
          "Prefect start-up included)")
    print(f"again, none changed: {again:6.1f} s")
    print(f"peak memory of a run: {peak_mib:.0f} MiB; warehouse file {size_mib:.0f} MiB")


if __name__ == "__main__":
    main()
