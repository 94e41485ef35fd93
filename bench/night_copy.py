"""What a night costs in copying: the warehouse file's size and the seconds to copy it, write
a change into the copy and publish it (xxgk.load.versions), at N reports.

    .venv/bin/python bench/night_copy.py [N ...]

The warehouse is the bundled samples (data/raw, read by the real parser) repeated under other
agency names and paths until it holds N reports, so its columns hold real parser output. A
benchmark, not a test: numbers, no asserts.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from xxgk.load import versions
from xxgk.load import warehouse as wh

ROOT = Path(__file__).resolve().parent.parent
SHA = "sha256(t.sha256 || i) AS sha256"
VARIED = {
    "source_files": ("path", f"t.path || '#' || i AS path, {SHA}"),
    "reports": ("agency", f"t.agency || '#' || i AS agency, t.path || '#' || i AS path, {SHA}"),
    "checks": ("agency", f"t.agency || '#' || i AS agency, t.path || '#' || i AS path, {SHA}"),
    "facts": ("agency", "t.agency || '#' || i AS agency, t.path || '#' || i AS path, "
              f"{SHA}, t.value + hash(i, t.code, t.column_label) % 40 AS value, "
              "CAST(t.value + hash(i, t.code, t.column_label) % 40 AS BIGINT)::VARCHAR AS raw, "
              "t.span_start + i % 500 AS span_start, t.span_end + i % 500 AS span_end"),
}
"""Each table, its column that tells the samples from their repetitions, and what varies in
a repetition as it varies between reports: names, paths, hashes, numbers, where cells are."""


def build(db: Path, n: int) -> None:
    """A warehouse of the samples, repeated to `n` reports."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import ingest_plain  # the flow's steps without Prefect

    con = wh.connect(db)
    try:
        ingest_plain(ROOT / "data" / "raw", con)
        (have,) = con.execute("SELECT count(*) FROM reports").fetchone()
        copies = -(-n // have) - 1
        for table, (key, varied) in VARIED.items():
            con.execute(f"INSERT INTO {table} SELECT t.* REPLACE ({varied}) FROM {table} t, "
                        f"range(1, ?) r(i) WHERE t.{key} NOT LIKE '%#%'", [copies + 1])
        con.execute("CHECKPOINT")
    finally:
        con.close()


def night(db: Path) -> dict[str, float]:
    """Seconds of the copy alone, and of a whole publish: copy, one row changed, checkpoint,
    fsync, rename."""
    started = time.perf_counter()
    shutil.copyfile(db, db.with_name("plain-copy"))
    copied = time.perf_counter() - started
    db.with_name("plain-copy").unlink()
    started = time.perf_counter()
    with versions.next_version(db, "bench") as con:
        con.execute("UPDATE source_files SET last_seen = now() WHERE path = "
                    "(SELECT min(path) FROM source_files)")
    return {"copy": copied, "publish": time.perf_counter() - started}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[10_000])
    args = ap.parse_args()
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp, "w.duckdb")
            build(db, n)
            con = wh.connect(db, read_only=True)
            reports, facts = con.execute("SELECT (SELECT count(*) FROM reports), "
                                         "(SELECT count(*) FROM facts)").fetchone()
            con.close()
            size = db.stat().st_size / 2**20
            took = [night(db) for _ in range(3)]
        best = {k: min(t[k] for t in took) for k in took[0]}
        print(f"{reports:,} reports, {facts:,} facts: file {size:,.0f} MiB; copy "
              f"{best['copy']:.2f} s, whole publish {best['publish']:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
