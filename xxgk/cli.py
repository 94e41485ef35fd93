"""`xxgk`: one thin command line over the library (parse, the warehouse flows, queries)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from xxgk.flows import DEFAULT_CRON, TIMEZONE
from xxgk.load import DEFAULT_DB, DEFAULT_RAW, QUERY_FORMATS
from xxgk.transform.parse import parse_file


@click.group()
@click.version_option(package_name="xxgk")
def main() -> None:
    """Disclosure-report warehouse: parse reports, ingest them into DuckDB, query them."""


# ---- the warehouse: ingest, rebuild, query, status, serve ---------------------------------
# DuckDB, Arrow and Prefect are imported inside these commands, so `xxgk parse` starts fast.

F = TypeVar("F", bound=Callable[..., Any])

EXIT_LOCKED = 75
"""EX_TEMPFAIL: another run holds the warehouse; a cron job may simply try again later."""

_db_option = click.option("--db", default=DEFAULT_DB, show_default=True,
                          type=click.Path(dir_okay=False), help="The DuckDB warehouse file.")
_raw_option = click.option("--raw", default=DEFAULT_RAW, show_default=True,
                           type=click.Path(file_okay=False),
                           help="Folder of raw report files, searched recursively.")
_run_options = (
    click.option("--batch-size", default=None, type=click.IntRange(1),
                 help="Files per parse/load task (default 1000)."),
    click.option("--workers", default=None, type=click.IntRange(1),
                 help="Parser processes (default: the CPU count, at most 4)."),
    click.option("--verbose", is_flag=True, help="Show Prefect's own INFO logs too."),
)


def _with(options: tuple) -> Callable[[F], F]:
    def wrap(fn: F) -> F:
        for option in reversed(options):
            fn = option(fn)
        return fn
    return wrap


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"xxgk: {message}", err=True)
    sys.exit(code)


def _run_flow(kind: str, raw: str, db: str, batch_size: int | None, workers: int | None,
              verbose: bool, **flow_options: Any) -> None:
    """Run the ingest or rebuild flow with the write lock taken first: a second run is
    refused before it starts Prefect or reads a file."""
    import time
    from pathlib import Path

    started = time.monotonic()
    if not Path(raw).is_dir():
        _fail(f"raw folder {raw!r} does not exist: put report files there or pass --raw DIR")
    from xxgk.flows.env import quiet_prefect

    quiet_prefect(verbose)
    from xxgk.cli_summary import run_summary
    from xxgk.load.lock import WarehouseLocked, write_lock
    from xxgk.load.schema import SchemaMismatch

    try:
        with write_lock(db, kind):
            from xxgk.flows.ingest import ingest_flow
            from xxgk.flows.rebuild import rebuild_flow

            run: Any = rebuild_flow if kind == "rebuild" else ingest_flow
            extra = {k: v for k, v in (("batch_size", batch_size), ("workers", workers)) if v}
            summary = run(raw=raw, db=db, **extra, **flow_options)
    except WarehouseLocked as e:
        _fail(str(e), EXIT_LOCKED)
    except SchemaMismatch as e:
        _fail(str(e))
    except Exception as e:
        from xxgk.flows.rebuild import RebuildShrinks

        if not isinstance(e, RebuildShrinks):
            raise
        _fail(str(e))
    click.echo(run_summary(summary, db, time.monotonic() - started), nl=False)


@main.command()
@_raw_option
@_db_option
@_with(_run_options)
def ingest(raw: str, db: str, batch_size: int | None, workers: int | None,
           verbose: bool) -> None:
    """Load new and changed report files into the warehouse (the nightly run).

    Unchanged files are skipped without parsing; removed ones are marked missing. Runs the
    Prefect flow `xxgk-ingest` (on a temporary server unless PREFECT_API_URL is set). Exits
    75 when another run is writing the warehouse.
    """
    _run_flow("ingest", raw, db, batch_size, workers, verbose)


@main.command()
@_raw_option
@_db_option
@_with(_run_options)
@click.option("--allow-shrink", is_flag=True,
              help="Swap in the rebuilt warehouse even if it holds under half the reports.")
def rebuild(raw: str, db: str, batch_size: int | None, workers: int | None,
            verbose: bool, allow_shrink: bool) -> None:
    """Build the warehouse anew from the raw files, then swap it in atomically.

    Readers of the old file keep a complete warehouse throughout; the result equals what
    incremental ingests of the same files built. A rebuild that would hold under half the
    current reports (a parser regression, an unmounted raw folder) keeps the old warehouse
    and exits 1, unless --allow-shrink.
    """
    _run_flow("rebuild", raw, db, batch_size, workers, verbose, allow_shrink=allow_shrink)


@main.command()
@click.argument("sql")
@_db_option
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table",
              show_default=True, help="table: for reading; csv; json: one object per line.")
def query(sql: str, db: str, fmt: str) -> None:
    """Run SQL on a read-only connection to the warehouse and print the result.

    Tables: reports, facts, checks, source_files, conflicts, ingestion_runs, template_cells;
    views: report_summary, facts_by_code, failed_checks, problem_files, files, latest_runs.
    """
    import duckdb

    from xxgk import cli_query as q
    from xxgk.load.lock import WarehouseLocked
    from xxgk.load.warehouse import WarehouseMissing

    try:
        q.run(db, sql, fmt, sys.stdout)
    except WarehouseLocked as e:
        _fail(str(e), EXIT_LOCKED)
    except WarehouseMissing as e:
        _fail(str(e))
    except duckdb.Error as e:
        _fail(f"query failed: {e}")


@main.command()
@_db_option
def status(db: str) -> None:
    """Show what the warehouse holds and its last runs."""
    from xxgk import cli_summary as summary
    from xxgk.load import warehouse as wh
    from xxgk.load.lock import WarehouseLocked

    try:
        con = wh.connect(db, read_only=True)
    except WarehouseLocked as e:
        _fail(str(e), EXIT_LOCKED)
    except wh.WarehouseMissing as e:
        _fail(str(e))
    try:
        click.echo(summary.status(con, db), nl=False)
    finally:
        con.close()


@main.command()
@click.option("--cron", default=DEFAULT_CRON, show_default=True,
              help=f"When to run, as a cron line in {TIMEZONE} time.")
@_raw_option
@_db_option
def serve(cron: str, raw: str, db: str) -> None:
    """Serve the ingest flow on a cron schedule; needs a running Prefect server.

    Prefect's temporary server has no scheduler, so with PREFECT_API_URL unset this refuses
    and shows the two ways to run nightly: `prefect server start` + `xxgk serve`, or a crontab
    line calling `xxgk ingest`.
    """
    from xxgk.flows.env import quiet_prefect

    quiet_prefect(verbose=True)
    from xxgk.flows.ingest import NoPrefectServer, serve_ingest

    try:
        serve_ingest(cron, raw, db)
    except NoPrefectServer as e:
        _fail(str(e), 2)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True,
              help="json: one object per file per line; csv: one row per fact, as the "
                   "warehouse's facts table holds them.")
def parse(files: tuple[str, ...], fmt: str) -> None:
    """Parse report text files and print what the warehouse would store, touching no warehouse.

    Exits 1 when any file could not be read as a report (its status is "error").
    """
    failed = False
    if fmt == "csv":
        from xxgk.transform.tidy import facts_frame

        reports = [parse_file(path) for path in files]
        facts_frame(reports).to_csv(sys.stdout, index=False, lineterminator="\n")
        failed = any(r.status == "error" for r in reports)
    for path in files if fmt == "json" else ():  # streamed: one line per file as it is read
        report = parse_file(path)
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        failed |= report.status == "error"
    sys.stdout.flush()
    if failed:
        sys.exit(1)


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--n", "n", type=int, default=40, show_default=True, help="How many reports.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option("--samples", is_flag=True,
              help="Write the bundled sample set (agencies over consecutive years) instead.")
def generate(out_dir: str, n: int, seed: int, samples: bool) -> None:
    """Write synthetic reports with their gold values (gold.csv, meta.csv) to OUT_DIR."""
    from xxgk.synth import write_corpus, write_samples

    reports = write_samples(out_dir, seed) if samples else write_corpus(out_dir, n, seed)
    click.echo(f"wrote {len(reports)} reports to {out_dir}")
