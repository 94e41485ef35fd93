"""The DuckDB warehouse: connect, record files, upsert reports in bulk, resolve conflicts.

Every function takes an open connection and is plain Python, so the flows only orchestrate
them and the tests call them without Prefect. A batch of parse results is loaded in ONE
transaction: a changed report's facts and checks are replaced together or not at all.

The conflict rule (the README states it): of the present files claiming one (agency, year),
the kept one is the first by (status rank, flagged cells, path), status ranked by
STATUS_RANK. It depends only on the set of files, never on arrival order, so an incremental
warehouse equals a rebuild from the same files.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from xxgk import PARSER_VERSION
from xxgk.extract.discover import FoundFile
from xxgk.load import frames, schema
from xxgk.load.db import registered, transaction
from xxgk.load.lock import WarehouseLocked, is_locked, read_holder
from xxgk.load.parsing import Batch
from xxgk.model import ParsedReport

STATUS_RANK: dict[str, int] = {"ok": 0, "checks_failed": 1, "unsupported": 2}
"""Statuses that make a report, best first ("error" never does)."""

WRITER_MEMORY = "1GB"
"""DuckDB's cache on a loading connection: it would otherwise keep pages up to 80% of RAM,
and a nightly run should leave the machine's memory to the parser processes."""

STORAGE_COMPATIBILITY = "v1.0.0"
"""The storage format a new warehouse file is written in: DuckDB 1.0 and later open it (DuckDB
2's own default is not readable by 1.x clients such as DBeaver's or R's)."""

Key = tuple[str, int]
Reparse = Callable[[Sequence[FoundFile]], list[ParsedReport]]


class WarehouseMissing(FileNotFoundError):
    """No warehouse file where one was expected (a query before any ingest)."""


def now() -> datetime:
    return datetime.now(UTC)


def connect(db: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
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
                             config={} if read_only else {"memory_limit": WRITER_MEMORY,
                                                          "storage_compatibility_version":
                                                          STORAGE_COMPATIBILITY})
    except duckdb.IOException as e:
        if "lock" not in str(e).lower():
            raise
        holder = read_holder(db)
        if not holder and (pid := re.search(r"PID (\d+)", str(e))):
            holder = {"pid": int(pid[1]), "purpose": "a DuckDB connection"}
        raise WarehouseLocked(db, holder) from e
    if not read_only:
        try:
            schema.apply(con)
        except BaseException:
            con.close()
            raise
    return con


# ---- what the warehouse knows of the raw files --------------------------------------------

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


def _paths_table(paths: Iterable[str]) -> pa.Table:
    return pa.table({"path": pa.array(list(paths), pa.string())})


def mark_missing(con: duckdb.DuckDBPyConnection, paths: Sequence[str], run_id: str) -> int:
    """Flag files that left the raw folder. Their reports stay until a rebuild (and stop
    competing in conflicts, so a present file claiming the same report replaces them)."""
    if not paths:
        return 0
    with registered(con, "_gone", _paths_table(paths)):
        con.execute("UPDATE source_files SET missing = true, last_run_id = ? "
                    "WHERE path IN (SELECT path FROM _gone)", [run_id])
    return len(paths)


def touch(con: duckdb.DuckDBPyConnection, files: Sequence[FoundFile], run_id: str,
          when: datetime | None = None) -> None:
    """Record that unchanged files were seen (and their current size/mtime), in bulk."""
    if not files:
        return
    tbl = pa.table({"path": [f.path for f in files], "size": [f.size for f in files],
                    "mtime_ns": [f.mtime_ns for f in files]})
    with registered(con, "_seen", tbl):
        con.execute("UPDATE source_files s SET size = x.size, mtime_ns = x.mtime_ns, "
                    "missing = false, last_seen = ?, last_run_id = ? FROM _seen x "
                    "WHERE s.path = x.path", [when or now(), run_id])


# ---- loading a batch -----------------------------------------------------------------------

@dataclass(slots=True)
class LoadStats:
    reports_loaded: int = 0
    facts_loaded: int = 0
    reports_removed: int = 0
    reports_failed_checks: int = 0

    def add(self, other: LoadStats) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


_SOURCE_UPDATE = ", ".join(f"{c} = excluded.{c}" for c in frames.SOURCE_SCHEMA.names
                           if c not in ("path", "first_seen"))


def _status_rank_sql(column: str) -> str:
    whens = " ".join(f"WHEN '{s}' THEN {r}" for s, r in STATUS_RANK.items())
    return f"CASE {column} {whens} END"


def load_batch(con: duckdb.DuckDBPyConnection, batch: Batch, run_id: str,
               reparse: Reparse, when: datetime | None = None) -> LoadStats:
    """Record a batch's files and (re)load the reports they decide, in one transaction."""
    with transaction(con):
        return _load_batch(con, batch, run_id, reparse, when or now())


def _load_batch(con: duckdb.DuckDBPyConnection, batch: Batch, run_id: str,
                reparse: Reparse, when: datetime) -> LoadStats:
    paths = [p.file.path for p in batch.parsed] + [f.path for f in batch.same]
    if not paths:
        return LoadStats()
    src = frames.source_table(batch.parsed, when, run_id)
    with registered(con, "_batch", _paths_table(paths)), registered(con, "_src", src):
        # keys these files claimed before this batch (a changed file may claim another one)
        affected: set[Key] = set(con.execute(
            "SELECT agency, year FROM source_files WHERE path IN (SELECT path FROM _batch) "
            "AND agency IS NOT NULL AND year IS NOT NULL").fetchall())
        cols = ", ".join(frames.SOURCE_SCHEMA.names)
        con.execute(f"INSERT INTO source_files ({cols}) SELECT {cols} FROM _src "
                    f"ON CONFLICT (path) DO UPDATE SET {_SOURCE_UPDATE}")
        touch(con, batch.same, run_id, when)
        affected |= set(con.execute(
            "SELECT agency, year FROM source_files WHERE path IN (SELECT path FROM _batch) "
            "AND agency IS NOT NULL AND year IS NOT NULL").fetchall())
    fresh = {p.file.path: p.report for p in batch.parsed}
    return _resolve(con, affected, fresh, reparse, run_id, when)


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: str
    sha256: str
    status: str
    flagged: int
    size: int
    mtime_ns: int


def _candidates(con: duckdb.DuckDBPyConnection) -> dict[Key, list[_Candidate]]:
    """Present, report-making files claiming the keys in `_keys`, best first (the rule)."""
    rows = con.execute(f"""
        SELECT s.agency, s.year, s.path, s.sha256, s.status, coalesce(s.flagged_cells, 0),
               s.size, s.mtime_ns
        FROM source_files s JOIN _keys k ON s.agency = k.agency AND s.year = k.year
        WHERE NOT s.missing AND s.status IN ({", ".join(f"'{s}'" for s in STATUS_RANK)})
        ORDER BY s.agency, s.year, {_status_rank_sql("s.status")},
                 coalesce(s.flagged_cells, 0), s.path""").fetchall()
    out: dict[Key, list[_Candidate]] = {}
    for agency, year, *rest in rows:
        out.setdefault((agency, year), []).append(_Candidate(*rest))
    return out


def conflict_reason(kept: _Candidate, other: _Candidate) -> str:
    if kept.status != other.status:
        return f"status {kept.status} beats {other.status}"
    if kept.flagged != other.flagged:
        return f"fewer flagged cells ({kept.flagged} < {other.flagged})"
    return "same status and flagged cells: the smaller path is kept"


def _keys_table(keys: Iterable[Key]) -> pa.Table:
    keys = sorted(keys)
    return pa.table({"agency": pa.array([k[0] for k in keys], pa.string()),
                     "year": pa.array([k[1] for k in keys], pa.int32())})


def _resolve(con: duckdb.DuckDBPyConnection, affected: set[Key],
             fresh: dict[str, ParsedReport], reparse: Reparse, run_id: str,
             when: datetime) -> LoadStats:
    """Make reports, facts, checks and conflicts of the affected keys follow the rule."""
    if not affected:
        return LoadStats()
    with registered(con, "_keys", _keys_table(affected)):
        candidates = _candidates(con)
        load, drop = _decide(con, affected, candidates, fresh, reparse)
        stats = _replace(con, load, drop, run_id, when)
        _record_conflicts(con, candidates, run_id, when)
    return stats


def _decide(con: duckdb.DuckDBPyConnection, affected: set[Key],
            candidates: dict[Key, list[_Candidate]], fresh: dict[str, ParsedReport],
            reparse: Reparse) -> tuple[dict[Key, ParsedReport], set[Key]]:
    """Which keys get which report, and which lose theirs. A winner that is not in this batch
    and not already loaded (a loser that now wins) is parsed again from its file."""
    current = {(a, y): (p, s, m) for a, y, p, s, m in con.execute(
        "SELECT r.agency, r.year, r.path, r.sha256, coalesce(f.missing, true) "
        "FROM reports r JOIN _keys k ON r.agency = k.agency AND r.year = k.year "
        "LEFT JOIN source_files f ON f.path = r.path").fetchall()}
    load: dict[Key, ParsedReport] = {}
    drop: set[Key] = set()
    stale: list[tuple[Key, _Candidate]] = []
    for key in sorted(affected):
        best = candidates.get(key, [None])[0]
        if best is None:
            if key in current and not current[key][2]:
                drop.add(key)  # its file no longer makes this report; a missing one stays
        elif best.path in fresh:
            load[key] = fresh[best.path]
        elif current.get(key, (None, None))[:2] != (best.path, best.sha256):
            stale.append((key, best))
    again = reparse([FoundFile(c.path, c.size, c.mtime_ns) for _, c in stale]) if stale else []
    for (key, c), report in zip(stale, again, strict=True):
        if report.source.sha256 == c.sha256 and frames.claim(report) == key:
            load[key] = report
        else:  # changed since it was hashed: make the next run look at it again
            con.execute("UPDATE source_files SET mtime_ns = -1 WHERE path = ?", [c.path])
    return load, drop


def _replace(con: duckdb.DuckDBPyConnection, load: dict[Key, ParsedReport], drop: set[Key],
             run_id: str, when: datetime) -> LoadStats:
    """Delete the reports (with facts and checks) of `load` and `drop`, insert `load`'s."""
    with registered(con, "_gone_keys", _keys_table(drop | set(load))):
        for table in ("facts", "checks", "reports"):
            con.execute(f"DELETE FROM {table} t USING _gone_keys k "
                        "WHERE t.agency = k.agency AND t.year = k.year")
    stats = LoadStats(reports_removed=len(drop))
    if not load:
        return stats
    tables = frames.report_tables(list(load.values()), when, run_id)
    for name in ("reports", "facts", "checks"):
        with registered(con, "_rows", getattr(tables, name)):
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _rows")
    stats.reports_loaded = tables.reports.num_rows
    stats.facts_loaded = tables.facts.num_rows
    stats.reports_failed_checks = sum(1 for r in load.values() if frames.failed_count(r))
    return stats


def _record_conflicts(con: duckdb.DuckDBPyConnection, candidates: dict[Key, list[_Candidate]],
                      run_id: str, when: datetime) -> None:
    """Every claimant but the kept one, for the keys in `_keys` (recomputed, not appended)."""
    con.execute("DELETE FROM conflicts c USING _keys k WHERE c.agency = k.agency "
                "AND c.year = k.year")
    rows = [
        {"agency": key[0], "year": key[1], "kept_path": kept.path, "kept_sha256": kept.sha256,
         "kept_status": kept.status, "other_path": o.path, "other_sha256": o.sha256,
         "other_status": o.status, "reason": conflict_reason(kept, o), "detected_at": when,
         "run_id": run_id}
        for key, (kept, *others) in candidates.items() for o in others
    ]
    if rows:
        with registered(con, "_conflicts", pa.Table.from_pylist(rows)):
            con.execute("INSERT INTO conflicts BY NAME SELECT * FROM _conflicts")


# ---- runs ------------------------------------------------------------------------------------

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
