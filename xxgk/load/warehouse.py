"""The DuckDB warehouse: connect, and what it knows of the raw files (known, missing, seen).

Every function takes an open connection and is plain Python, so the flows only orchestrate
them and the tests call them without Prefect. Loading a batch is xxgk.load.batch_load, the
conflict rule xxgk.load.conflicts, the run's bookkeeping xxgk.load.runs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from xxgk.load import schema
from xxgk.load.db import registered
from xxgk.load.lock import HeldOpen, WarehouseLocked, is_locked, read_holder

WRITER_MEMORY = "1GB"
"""DuckDB's cache on a loading connection: it would otherwise keep pages up to 80% of RAM,
and a nightly run should leave the machine's memory to the parser processes."""

STORAGE_COMPATIBILITY = "v1.0.0"
"""The storage format a new warehouse file is written in: DuckDB 1.0 and later open it (DuckDB
2's own default is not readable by 1.x clients such as DBeaver's or R's)."""

Settings = dict[str, str | bool | int | float | list[str]]
"""DuckDB's connect() config."""

WRITER_CONFIG: Settings = {"memory_limit": WRITER_MEMORY,
                                    "storage_compatibility_version": STORAGE_COMPATIBILITY}

ANALYST_CONFIG: Settings = {"autoload_known_extensions": False,
                                     "autoinstall_known_extensions": False}
"""An analyst's SQL never fetches or loads an extension behind their back."""


class WarehouseMissing(FileNotFoundError):
    """No warehouse file where one was expected (a query before any ingest)."""


def now() -> datetime:
    return datetime.now(UTC)


def _locked(db: str, e: duckdb.IOException) -> WarehouseLocked:
    """Who holds the file, by the PID DuckDB names (the process that has it open), else by
    the write lock's holder when that is another process."""
    if pid := re.search(r"PID (\d+)", str(e)):
        return HeldOpen(db, int(pid[1]))
    holder = read_holder(db)
    return WarehouseLocked(db, holder if holder and holder.get("pid") != os.getpid() else None)


def connect(db: str | Path, read_only: bool = False,
            config: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection also creates/updates the schema.

    Read-only connections never create the file, and fail clearly while a writer holds it
    (DuckDB allows one writing process, or many reading ones).
    """
    db = str(db)
    if read_only and not Path(db).exists():
        if is_locked(db):  # the first ingest is under way
            raise WarehouseLocked(db, read_holder(db))
        raise WarehouseMissing(f"no warehouse at {db}: run `xxgk ingest` first")
    if not read_only:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(db, read_only=read_only,
                             config=config or ({} if read_only else WRITER_CONFIG))
    except duckdb.IOException as e:
        if "lock" not in str(e).lower():
            raise
        raise _locked(db, e) from e
    if not read_only:
        try:
            schema.apply(con)
        except BaseException:
            con.close()
            raise
    return con


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def connect_analyst(db: str | Path, allow_files: bool = False,
                    write_to: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection whose SQL cannot touch the machine: no file outside the
    warehouse read or written (read_text, COPY ... TO, ATTACH), no extension installed or
    loaded, and the settings locked so the SQL cannot undo it. `allow_files` lifts the file
    restriction; `write_to` admits writing inside that one folder (the export's)."""
    con = connect(db, read_only=True, config=ANALYST_CONFIG)
    try:
        if write_to is not None:
            folder = str(Path(write_to).resolve()).rstrip("/") + "/"
            con.execute(f"SET allowed_directories = [{_sql_text(folder)}]")
        if not allow_files:
            con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


@dataclass(frozen=True, slots=True)
class Known:
    sha256: str | None
    size: int | None
    mtime_ns: int | None
    parser_version: str | None
    missing: bool


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, Known]:
    rows = con.execute("SELECT path, sha256, size, mtime_ns, parser_version, missing "
                       "FROM source_files").fetchall()
    return {r[0]: Known(*r[1:]) for r in rows}


def mark_missing(con: duckdb.DuckDBPyConnection, paths: list[str], run_id: str) -> int:
    """Flag files that left the raw folder. Their reports stay until a rebuild (and stop
    competing in conflicts, so a present file claiming the same report replaces them)."""
    if not paths:
        return 0
    with registered(con, "_gone", pd.DataFrame({"path": paths}, dtype=object)):
        con.execute("UPDATE source_files SET missing = true, last_run_id = ? "
                    "WHERE path IN (SELECT path FROM _gone)", [run_id])
    return len(paths)


def touch(con: duckdb.DuckDBPyConnection, seen: pd.DataFrame, run_id: str,
          when: datetime | None = None) -> None:
    """Record that unchanged files (path, size, mtime_ns) were seen, in bulk."""
    if seen.empty:
        return
    with registered(con, "_seen", seen):
        con.execute("UPDATE source_files s SET size = x.size, mtime_ns = x.mtime_ns, "
                    "missing = false, last_seen = ?, last_run_id = ? FROM _seen x "
                    "WHERE s.path = x.path", [when or now(), run_id])


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """A table's columns as its DDL (xxgk/sql/schema.sql) states them: the one list."""
    return [c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table]).fetchall()]


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What the warehouse holds now, for the end-of-run summary and `xxgk status`."""
    row = con.execute("""
        SELECT
          (SELECT count(*) FROM reports),
          (SELECT count(*) FROM facts),
          (SELECT count(*) FROM reports WHERE failed_checks > 0),
          (SELECT count(*) FROM conflicts),
          (SELECT count(*) FROM source_files),
          (SELECT count(*) FROM source_files WHERE status = 'error' AND NOT missing),
          (SELECT count(*) FROM source_files WHERE missing)""").fetchall()[0]
    names = ("reports", "facts", "reports_failed_checks", "conflicts", "files", "files_failed",
             "files_missing")
    return dict(zip(names, row, strict=True))
