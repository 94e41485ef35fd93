"""The run's bookkeeping: one ingestion_runs row per ingest or rebuild, started then finished."""

from __future__ import annotations

import uuid

import duckdb

from xxgk import PARSER_VERSION
from xxgk.load.warehouse import now

RUN_COUNTS = ("files_seen", "files_new", "files_changed", "files_unchanged", "files_missing",
              "files_failed", "reports_loaded", "facts_loaded", "reports_failed_checks",
              "conflicts")


def start_run(con: duckdb.DuckDBPyConnection, kind: str, raw: str,
              flow_run_id: str | None = None) -> str:
    run_id = uuid.uuid4().hex
    con.execute("INSERT INTO ingestion_runs (run_id, kind, raw_dir, status, started_at, "
                "parser_version, flow_run_id) VALUES (?, ?, ?, 'running', ?, ?, ?)",
                [run_id, kind, str(raw), now(), PARSER_VERSION, flow_run_id])
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, counts: dict[str, int],
               error: str | None = None) -> None:
    sets = ", ".join(f"{c} = ?" for c in RUN_COUNTS)
    con.execute(
        f"UPDATE ingestion_runs SET {sets}, status = ?, error = ?, finished_at = ?, "
        "seconds = date_diff('millisecond', started_at, ?) / 1000.0 WHERE run_id = ?",
        [*(counts.get(c) for c in RUN_COUNTS), "failed" if error else "ok", error,
         (t := now()), t, run_id])
