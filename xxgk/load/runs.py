"""The run's bookkeeping: one ingestion_runs row per ingest or rebuild.

A run never writes the published warehouse in place (xxgk.load.versions), so its record is
kept first in a journal beside it (xxgk.load.journal): started, then finished. The run that
publishes a version folds the journal into that version's ingestion_runs; a night that had
nothing to write, a failed run and a killed one wait in the journal until then.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable

import duckdb
import pandas as pd

from xxgk import PARSER_VERSION
from xxgk.load.db import registered
from xxgk.load.warehouse import columns, now

RUN_COUNTS = ("files_seen", "files_new", "files_changed", "files_unchanged", "files_missing",
              "files_failed", "reports_loaded", "facts_loaded", "reports_failed_checks",
              "conflicts")

Row = dict[str, object]
"""A run's record: ingestion_runs' columns, and the pid and host of the run's process."""

ENDED = "the run ended without finishing"
"""The error of an abandoned run recorded without its process (by an older xxgk)."""

ABANDONED = ("its process (pid {pid} on {host}) ended without finishing: killed (kill -9, "
             "out of memory) or the machine stopped")


def start_row(kind: str, raw: str, flow_run_id: str | None = None) -> Row:
    return {"run_id": uuid.uuid4().hex, "kind": kind, "raw_dir": str(raw), "status": "running",
            "started_at": now().isoformat(), "parser_version": PARSER_VERSION,
            "flow_run_id": flow_run_id, "pid": os.getpid(), "host": socket.gethostname()}


def finish_row(row: Row, counts: dict[str, int], error: str | None = None) -> Row:
    """The run's record when it ends: its counts and ok, or the error and failed."""
    ended = now()
    started = pd.Timestamp(str(row["started_at"]))
    return {**row, **{c: counts.get(c) for c in RUN_COUNTS},
            "status": "failed" if error else "ok", "error": error,
            "finished_at": ended.isoformat(),
            "seconds": round((ended - started).total_seconds(), 3)}


def abandon_row(row: Row) -> Row:
    """The record of a run whose process died while it was running."""
    why = ABANDONED.format(**row) if "pid" in row and "host" in row else ENDED
    return {**row, "status": "abandoned", "error": why}


def unrecorded(rows: Iterable[Row], finished: set[str]) -> list[Row]:
    """Journal rows the warehouse does not hold yet: a run it records as finished keeps that
    record (its process may have died after publishing, before clearing the journal)."""
    return [r for r in rows if r["run_id"] not in finished]


def finished_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r for (r,) in con.execute(
        "SELECT run_id FROM ingestion_runs WHERE status <> 'running'").fetchall()}


def fold(con: duckdb.DuckDBPyConnection, rows: Iterable[Row]) -> None:
    """Write journal rows into ingestion_runs (the last row of a run wins). A row still
    `running` in the warehouse was left by a run of an older xxgk that died: abandoned."""
    con.execute("UPDATE ingestion_runs SET status = 'abandoned', error = ? "
                "WHERE status = 'running'", [ENDED])
    latest = {str(r["run_id"]): r for r in rows}
    todo = unrecorded(latest.values(), finished_ids(con))
    if not todo:
        return
    names = columns(con, "ingestion_runs")
    table = pd.DataFrame([[r.get(c) for c in names] for r in todo], columns=names, dtype=object)
    with registered(con, "_runs", table):
        con.execute("INSERT OR REPLACE INTO ingestion_runs SELECT * FROM _runs")
