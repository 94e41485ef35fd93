"""The nightly ingestion flow, and serving it on a cron schedule with a Prefect server."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from xxgk.flows import DEFAULT_CRON, TIMEZONE
from xxgk.flows.tasks import DEFAULT_BATCH_SIZE, run_recorded
from xxgk.load import DEFAULT_DB, DEFAULT_RAW
from xxgk.load import warehouse as wh
from xxgk.load.lock import write_lock


@flow(name="xxgk-ingest", persist_result=False, log_prints=False)
def ingest_flow(raw: str = DEFAULT_RAW, db: str = DEFAULT_DB,
                batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None) -> dict:
    """Load new and changed report files under `raw` into the DuckDB warehouse `db`.

    Unchanged files are skipped without parsing, removed ones marked missing; returns the
    run's counts and the warehouse's totals.
    """
    with write_lock(db, "ingest"):
        con = wh.connect(db)
        try:
            return run_recorded(con, "ingest", raw, batch_size, workers)
        finally:
            con.close()


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
