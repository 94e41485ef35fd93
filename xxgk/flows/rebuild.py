"""Rebuild the warehouse from the raw files alone, swapping it in atomically at the end.

The new warehouse is built as a fresh next version beside the target and published over it
(xxgk.load.versions), as an ingest publishes its copy: a reader holding the old file keeps
reading the old, complete one, and a failed rebuild leaves the old one untouched. The run
history is carried over; the rest is the raw files'.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from xxgk.flows.ingest import DEFAULT_BATCH_SIZE, load_plan
from xxgk.flows.run_record import publishing, recorded_run
from xxgk.flows.tasks import discover_files, plan_files
from xxgk.load import DEFAULT_DB, DEFAULT_RAW
from xxgk.load.lock import write_lock

log = logging.getLogger(__name__)

SHRINK_LIMIT = 0.5
"""A rebuild keeping fewer than this share of the current warehouse's reports is refused."""


class RebuildShrinks(RuntimeError):
    """The rebuilt warehouse would hold far fewer reports than the current one (a parser
    regression, an emptied or unmounted raw folder): the current one is kept."""


def refuse_shrink(con: duckdb.DuckDBPyConnection, old_db: str | Path) -> None:
    """Raise RebuildShrinks when the warehouse built in `con` would lose most of `old_db`'s
    reports: nothing already stored is lost without the operator saying so."""
    if not Path(old_db).exists():
        return
    try:
        old = duckdb.connect(str(old_db), read_only=True)
    except duckdb.Error:
        return  # unreadable: nothing in it to keep
    try:
        (before,) = old.execute("SELECT count(*) FROM reports").fetchall()[0]
    except duckdb.Error:
        return
    finally:
        old.close()
    after, failed = con.execute(
        "SELECT (SELECT count(*) FROM reports), "
        "(SELECT count(*) FROM source_files WHERE status = 'error')").fetchall()[0]
    if before and after < SHRINK_LIMIT * before:
        raise RebuildShrinks(
            f"the rebuilt warehouse would hold {after} reports where {old_db} holds {before} "
            f"({failed} files failed to parse); {old_db} is kept as it was. If the raw folder "
            "really lost those reports, run the rebuild again with --allow-shrink")


def carry_history(con: duckdb.DuckDBPyConnection, old_db: str | Path) -> None:
    """Copy the old warehouse's run history and first-seen dates, if it has readable ones."""
    if not Path(old_db).exists():
        return
    try:
        con.execute("ATTACH ? AS old (READ_ONLY)", [str(old_db)])
    except duckdb.Error as e:
        log.warning("old warehouse %s unreadable, its run history is not carried over: %s",
                    old_db, e)
        return
    try:
        con.execute("INSERT INTO ingestion_runs BY NAME SELECT * FROM old.ingestion_runs "
                    "WHERE run_id NOT IN (SELECT run_id FROM ingestion_runs)")
        con.execute("UPDATE source_files s SET first_seen = o.first_seen "
                    "FROM old.source_files o WHERE o.path = s.path AND o.first_seen < s.first_seen")
    except duckdb.Error as e:
        log.warning("run history of %s not carried over: %s", old_db, e)
    finally:
        con.execute("DETACH old")


@flow(name="xxgk-rebuild", persist_result=False, log_prints=False)
def rebuild_flow(raw: str = DEFAULT_RAW, db: str = DEFAULT_DB,
                 batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None,
                 allow_shrink: bool = False) -> dict:
    """Build a new warehouse from the raw files into a temporary file, then swap it in
    (refused when it would lose most of the current reports, unless `allow_shrink`)."""
    with write_lock(db, "rebuild"), recorded_run(db, "rebuild", raw, flow_run.get_id()) as run:
        found = discover_files(raw)
        with publishing(run, copy=False) as con:
            todo = plan_files(con, quote(found))
            run.planned(todo)
            load_plan(con, run, raw, todo, batch_size, workers)
            if not allow_shrink:
                refuse_shrink(con, db)
            carry_history(con, db)
            summary = run.summary(con)
        return summary
