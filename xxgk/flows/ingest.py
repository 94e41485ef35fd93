"""The nightly ingestion flow: discover -> plan -> parse -> tidy -> load, batch by batch.

Each step is a Prefect task over one plain function of a stage (xxgk/flows/tasks.py):
extract finds the files, transform parses and tidies them, load writes them to DuckDB.
The run never writes the published warehouse in place: it loads into a next version and
swaps it in (xxgk/load/versions.py). `xxgk rebuild` runs the same pipeline into a fresh file
(xxgk/flows/rebuild.py). Large arguments are wrapped in `quote` so Prefect does not walk them
looking for futures.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from xxgk.flows import DEFAULT_CRON, TIMEZONE
from xxgk.flows.plan import Plan
from xxgk.flows.progress import progress_bar
from xxgk.flows.run_record import RunRecord, publishing, recorded_run
from xxgk.flows.tasks import (
    batches,
    discover_files,
    load_tables,
    parse_files,
    plan_files,
    record_seen,
    tidy_batch,
    winners_to_read,
)
from xxgk.load import DEFAULT_DB, DEFAULT_RAW, versions
from xxgk.load.lock import write_lock
from xxgk.transform.batch import parse_pool, pool_size

DEFAULT_BATCH_SIZE = 1000
"""Files per parse/tidy/load step: 50 000 files make 50 of each, and a batch's reports (about
250 facts each) stay well under a few hundred MB."""

REREAD_ROUNDS = 3
"""Rounds of reading again the winners the loader could not take from a batch (a file that
keeps changing under the run is left to the next run)."""


def load_plan(con: duckdb.DuckDBPyConnection, run: RunRecord, raw: str, todo: Plan,
              batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None) -> None:
    """Bring the warehouse on `con` (the next version) up to date with `raw` as `todo` says.

    Streams: parse a batch, tidy it, load it, forget it; memory stays flat whatever the count.
    """
    record_seen(con, quote(todo), run.run_id)                  # gone: missing; unchanged: seen
    with parse_pool(pool_size(len(todo.to_read), workers)) as pool, \
            progress_bar(len(todo.to_read), "parse and load") as advance:
        for files in batches(todo.to_read, batch_size):
            parsed = parse_files(raw, quote(files), quote(todo.known_sha), quote(pool))
            tables = tidy_batch(quote(parsed))                         # transform: long frames
            run.loaded.add(load_tables(con, quote(tables), run.run_id))  # load: DuckDB
            run.parsed(parsed)
            advance(len(files))
    for _ in range(REREAD_ROUNDS):                # losers that now win their report
        if not (again := winners_to_read(con, raw)):
            break
        parsed = parse_files(raw, quote(again), {}, None)
        run.loaded.add(load_tables(con, quote(tidy_batch(quote(parsed))), run.run_id))


@flow(name="xxgk-ingest", persist_result=False, log_prints=False)
def ingest_flow(raw: str = DEFAULT_RAW, db: str = DEFAULT_DB,
                batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None) -> dict:
    """Load new and changed report files under `raw` into the DuckDB warehouse `db`.

    Plans from a read-only connection, so readers of the warehouse never stop it; when there
    is work, loads into a next version and publishes it (xxgk.load.versions). Unchanged files
    are skipped without parsing, removed ones marked missing; returns the run's counts and
    the warehouse's totals.
    """
    with write_lock(db, "ingest"), recorded_run(db, "ingest", raw, flow_run.get_id()) as run:
        found = discover_files(raw)                                    # extract: stat the files
        with versions.published(db) as current:
            todo = plan_files(current, quote(found))                   # what to read
            run.planned(todo)
            if current is not None and todo.changes_nothing:           # writes its record only
                return run.summary(current)
        with publishing(run) as con:
            load_plan(con, run, raw, todo, batch_size, workers)
            summary = run.summary(con)
        return summary


class NoPrefectServer(RuntimeError):
    """`serve` needs a real Prefect server: the temporary one runs no scheduler."""


def serve_ingest(cron: str = DEFAULT_CRON, raw: str = DEFAULT_RAW,
                 db: str = DEFAULT_DB) -> None:
    """Serve `ingest_flow` on a cron schedule (Asia/Shanghai) until interrupted.

    Paths are made absolute: scheduled runs start in a process of the runner's own.
    """
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise NoPrefectServer(
            "`xxgk serve` needs a running Prefect server: Prefect's temporary in-process server "
            "has no scheduler, so nothing would ever run. Either\n"
            "  1. start one with `prefect server start`, then in another shell\n"
            "     `PREFECT_API_URL=http://127.0.0.1:4200/api xxgk serve`, or\n"
            "  2. skip the server and call `xxgk ingest` from cron, e.g. the crontab line\n"
            f"     {cron} cd {Path.cwd()} && .venv/bin/xxgk ingest >> data/ingest.log 2>&1")
    ingest_flow.serve(
        name="nightly",
        schedules=[Cron(cron, timezone=TIMEZONE)],
        parameters={"raw": str(Path(raw).resolve()), "db": str(Path(db).resolve())},
        pause_on_shutdown=False,
    )
