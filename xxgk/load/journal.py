"""The run journal beside the warehouse (`warehouse.duckdb.runs.jsonl`): one JSON line per
change of a run's record, for the runs the published warehouse does not hold yet.

Only the write lock's holder writes it. Each line is flushed to disk before the run goes on,
so a run killed at any point has at least its `running` line; the next run finds it and
records the run abandoned. A line cut short by a crash is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from xxgk.load.runs import Row, abandon_row


def journal_path(db: str | Path) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".runs.jsonl")


def append(db: str | Path, row: Row) -> None:
    with open(journal_path(db), "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _parsed(line: str) -> Row | None:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return row if isinstance(row, dict) and "run_id" in row else None


def read(db: str | Path) -> list[Row]:
    """Each run's latest record, in the order the runs started."""
    try:
        lines = journal_path(db).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    latest: dict[str, Row] = {}
    for line in lines:
        if row := _parsed(line):
            latest[str(row["run_id"])] = row
    return list(latest.values())


def abandon_dead(db: str | Path) -> list[Row]:
    """Record as abandoned every run still `running` in the journal. Called by the write
    lock's holder before its own run starts: the lock is held from before a run's first line
    until after its last, so no run still running is alive."""
    dead = [abandon_row(r) for r in read(db) if r.get("status") == "running"]
    for row in dead:
        append(db, row)
    return dead


def clear(db: str | Path) -> None:
    """Empty the journal once a published version holds all of it."""
    journal_path(db).unlink(missing_ok=True)
