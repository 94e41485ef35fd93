"""`xxgk`: one thin command line over the library (parse, the warehouse flows, queries)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    import duckdb

from xxgk import lifecycle
from xxgk.flows import DEFAULT_CRON, TIMEZONE
from xxgk.load import DEFAULT_DB, DEFAULT_RAW, QUERY_FORMATS
from xxgk.transform.parse import parse_file


@click.group()
@click.version_option(package_name="xxgk")
def main() -> None:
    """Disclosure-report warehouse: parse reports, ingest them into DuckDB, query them."""


SUPERVISED = object()
"""`main`'s context object when it runs as the `xxgk` program: runs are supervised (a watchdog
ends their processes if the command is killed; xxgk.lifecycle). Tests that call `main` in
their own process run unsupervised."""


def program() -> None:
    """The `xxgk` program."""
    main(obj=SUPERVISED)


# ---- the warehouse: ingest, rebuild, query, status, serve ---------------------------------
# DuckDB, Arrow and Prefect are imported inside these commands, so `xxgk parse` starts fast.

F = TypeVar("F", bound=Callable[..., Any])

EXIT_LOCKED = 75
"""EX_TEMPFAIL: another run holds the warehouse; a cron job may simply try again later."""
EXIT_BAD_FILES = 65
"""EX_DATAERR, with --strict: the run finished, but the raw folder holds files that could not
be read as reports (listed in problem_files)."""

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
    click.option("--strict", is_flag=True,
                 help="Exit 65 (after the run) when the raw folder holds files that could not "
                      "be read as reports."),
)


def _with(options: tuple) -> Callable[[F], F]:
    def wrap(fn: F) -> F:
        for option in reversed(options):
            fn = option(fn)
        return fn
    return wrap


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"xxgk: {message}", err=True)
    sys.exit(code)


def _run_flow(kind: str, raw: str, db: str, batch_size: int | None, workers: int | None,
              verbose: bool, strict: bool, **flow_options: Any) -> None:
    """Run the ingest or rebuild flow with the write lock taken first: a second run is
    refused before it starts Prefect or reads a file."""
    import time
    from pathlib import Path

    started = time.monotonic()
    if not Path(raw).is_dir():
        _fail(f"raw folder {raw!r} does not exist: put report files there or pass --raw DIR")
    if problem := _unwritable_folder(db):
        _fail(problem)
    if click.get_current_context().obj is SUPERVISED:
        lifecycle.supervised()  # from here on, this process is the run below a watchdog
    from xxgk.flows.env import quiet_prefect

    quiet_prefect(verbose)
    from xxgk.cli_summary import run_summary
    from xxgk.load.lock import WarehouseLocked
    from xxgk.load.schema import SchemaMismatch

    try:
        summary = _locked_flow(kind, raw, db, verbose, batch_size=batch_size, workers=workers,
                               **flow_options)
    except WarehouseLocked as e:
        _fail(str(e), EXIT_LOCKED)
    except SchemaMismatch as e:
        _fail(str(e))
    except lifecycle.Terminated as e:
        _fail(f"{kind} {e}: the published warehouse is as it was; the run is recorded failed",
              128 + e.signal)
    except Exception as e:
        _fail(_flow_failure(kind, e))
    from xxgk.extract.discover import not_read

    click.echo(run_summary(summary, db, time.monotonic() - started, not_read(raw)), nl=False)
    if strict and (failed := summary["totals"]["files_failed"]):
        _fail(f"--strict: {failed} files in the raw folder could not be read as reports "
              "(select * from problem_files); the rest is loaded", EXIT_BAD_FILES)


def _locked_flow(kind: str, raw: str, db: str, verbose: bool, **options: Any) -> dict:
    """The flow, under the write lock, after a look at the published warehouse: a process
    holding it open for writing is named before Prefect starts. SIGTERM ends it cleanly."""
    from xxgk.load.lock import write_lock
    from xxgk.load.versions import published

    with lifecycle.terminated_by_signals(), write_lock(db, kind):
        with published(db):
            pass
        from xxgk.flows.env import failures_told_once
        from xxgk.flows.ingest import ingest_flow
        from xxgk.flows.rebuild import rebuild_flow

        if not verbose:
            failures_told_once()
        run: Any = rebuild_flow if kind == "rebuild" else ingest_flow
        return run(raw=raw, db=db, **{k: v for k, v in options.items() if v is not None})


def _unwritable_folder(db: str) -> str | None:
    """Why the warehouse's folder cannot take the warehouse (created if missing), or None:
    said before the run starts, in one line, instead of a traceback from deep inside it."""
    import errno
    import tempfile
    from pathlib import Path

    folder = Path(db).absolute().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        why = {errno.ENOENT: "does not exist and cannot be created",
               errno.EEXIST: "is a file, not a folder",
               errno.ENOTDIR: "lies under a file, not a folder"}.get(
            e.errno or 0, f"cannot be written ({e.strerror})")
        return (f"the warehouse's folder {str(folder)!r} {why}: pass --db PATH in a folder you "
                "can write, or make that one writable")
    return None


def _flow_failure(kind: str, e: Exception) -> str:
    """One line for a run that failed on the file system (disk full, a folder gone or made
    read-only meanwhile); any other exception is a bug and is raised with its traceback."""
    import duckdb

    from xxgk.flows.rebuild import RebuildShrinks

    if isinstance(e, RebuildShrinks):
        return str(e)
    if isinstance(e, OSError):
        return f"{kind} failed: {e.strerror or e} ({e.filename}): fix that, then run it again"
    if isinstance(e, duckdb.IOException):
        return f"{kind} failed writing the warehouse: {str(e).splitlines()[0]}"
    raise e


@main.command()
@_raw_option
@_db_option
@_with(_run_options)
def ingest(raw: str, db: str, batch_size: int | None, workers: int | None,
           verbose: bool, strict: bool) -> None:
    """Load new and changed report files into the warehouse (the nightly run).

    Unchanged files are skipped without parsing; removed ones are marked missing. Runs the
    Prefect flow `xxgk-ingest` (on a temporary server unless PREFECT_API_URL is set). Exits
    75 when another run is writing the warehouse; with --strict, 65 when files failed.
    """
    _run_flow("ingest", raw, db, batch_size, workers, verbose, strict)


@main.command()
@_raw_option
@_db_option
@_with(_run_options)
@click.option("--allow-shrink", is_flag=True,
              help="Swap in the rebuilt warehouse even if it holds under half the reports.")
def rebuild(raw: str, db: str, batch_size: int | None, workers: int | None,
            verbose: bool, strict: bool, allow_shrink: bool) -> None:
    """Build the warehouse anew from the raw files, then swap it in atomically.

    Readers of the old file keep a complete warehouse throughout; the result equals what
    incremental ingests of the same files built. A rebuild that would hold under half the
    current reports (a parser regression, an unmounted raw folder) keeps the old warehouse
    and exits 1, unless --allow-shrink.
    """
    _run_flow("rebuild", raw, db, batch_size, workers, verbose, strict,
              allow_shrink=allow_shrink)


def _sql_text(sql: str) -> str:
    """SQL given as text, `-` (read stdin) or the path of a .sql file."""
    from pathlib import Path

    if sql == "-":
        return sys.stdin.read()
    if sql.endswith(".sql") and Path(sql).is_file():
        return Path(sql).read_text(encoding="utf-8")
    return sql


def _param_value(text: str) -> object:
    """A parameter as the number it spells, else as text (DuckDB casts no text to numbers)."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _params(pairs: tuple[str, ...]) -> dict[str, object]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            _fail(f"parameter {pair!r} is not NAME=VALUE")
        out[name] = _param_value(value)
    return out


def _open_warehouse(db: str, allow_files: bool = False,
                    write_to: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only analyst connection (no files, no extensions), or a clear message and exit."""
    from xxgk.load import warehouse as wh
    from xxgk.load.lock import WarehouseLocked

    try:
        return wh.connect_analyst(db, allow_files, write_to)
    except WarehouseLocked as e:
        _fail(str(e), EXIT_LOCKED)
    except wh.WarehouseMissing as e:
        _fail(str(e))


@main.command()
@click.argument("sql")
@_db_option
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table",
              show_default=True,
              help="table: for reading; csv; tsv; json: one object per line; markdown.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A named parameter, used in the SQL as $NAME (repeatable).")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the result to this file instead of standard output.")
@click.option("--allow-files", is_flag=True,
              help="Let this query's SQL read and write files (read_csv, COPY ... TO, ATTACH); "
                   "off by default.")
def query(sql: str, db: str, fmt: str, params: tuple[str, ...], output: str | None,
          allow_files: bool) -> None:
    """Run SQL on a read-only connection to the warehouse and print the result.

    The SQL reads the warehouse only: files, other databases and extensions are refused
    unless --allow-files is given (extensions stay refused).

    SQL is the query text, `-` to read it from standard input, or a .sql file. Tables:
    reports, facts, checks, source_files, conflicts, ingestion_runs, template_cells; views:
    report_summary, report_headline and the other analyst views (docs/data-dictionary.md).
    """
    import contextlib

    import duckdb

    from xxgk import cli_query as q

    text, values = _sql_text(sql), _params(params)
    con = _open_warehouse(db, allow_files)
    try:
        with (open(output, "w", encoding="utf-8", newline="") if output
              else contextlib.nullcontext(sys.stdout)) as out:
            q.write(con, text, fmt, out, values)
    except duckdb.PermissionException as e:
        _fail(q.refusal(e))
    except duckdb.Error as e:
        _fail(f"query failed: {e}")
    finally:
        con.close()


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(("parquet", "csv")), default="parquet",
              show_default=True, help="parquet: partitioned by year (hive layout); csv.")
@click.option("--out", default="export", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write to.")
@click.option("--encoding", type=click.Choice(("utf-8-sig", "gb18030")), default="utf-8-sig",
              show_default=True, help="CSV text encoding (Excel/WPS on Chinese Windows).")
def export(db: str, fmt: str, out: str, encoding: str) -> None:
    """Export facts, reports, checks and every analyst view, with the data dictionary
    (dictionary.json, dictionary.md) beside them."""
    from xxgk.analysis import export as ex

    con = _open_warehouse(db, write_to=out)
    try:
        written = ex.export(con, out, fmt, encoding)
    finally:
        con.close()
    click.echo(f"wrote {len(written)} files and folders to {out}")


@main.command()
@_db_option
@click.option("--agency", "agencies", multiple=True,
              help="Only this agency (canonical name; repeatable). Default: every agency.")
@click.option("--out", default="report.html", show_default=True,
              type=click.Path(dir_okay=False), help="The HTML file to write.")
def report(db: str, agencies: tuple[str, ...], out: str) -> None:
    """Write one self-contained HTML page (opens offline): trends, outcome mix, reviews and
    lawsuits, applicants, cross-year and data-quality findings, each chart with its numbers."""
    from xxgk.analysis import report as rp

    con = _open_warehouse(db)
    try:
        path = rp.write(con, out, list(agencies) or None)
    finally:
        con.close()
    click.echo(f"wrote {path}")


@main.command()
@click.option("--out", default="docs/data-dictionary.md", show_default=True,
              type=click.Path(dir_okay=False), help="The markdown file to write.")
def dictionary(out: str) -> None:
    """Write the data dictionary of this xxgk's warehouse (tables, views, columns, codes,
    units, rules) from its own schema comments and the template data."""
    from pathlib import Path

    from xxgk.analysis.dictionary import fresh_markdown

    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(fresh_markdown(), encoding="utf-8")
    click.echo(f"wrote {out}")


@main.command()
@_db_option
def status(db: str) -> None:
    """Show what the warehouse holds and its last runs."""
    from xxgk import cli_summary as summary

    con = _open_warehouse(db)
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
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("code")
@click.argument("applicant", required=False)
def explain(file: str, code: str, applicant: str | None) -> None:
    """Show where cell CODE (for APPLICANT, default 总计) of FILE was read: the source lines
    with the cell marked, the other readings the text allowed and the identities that chose."""
    from xxgk.transform.explain import NoSuchCell, render
    from xxgk.transform.explain import explain as explain_cell

    try:
        click.echo(render(explain_cell(file, code, applicant)))
    except NoSuchCell as e:
        _fail(str(e))


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--n", "n", type=int, default=40, show_default=True, help="How many reports.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option("--samples", is_flag=True,
              help="Write the bundled sample set (agencies over consecutive years) instead.")
@click.option("--renderers", default="", metavar="NAME,...",
              help="Flatten each report's web page with these tools in turn (`all`: every one; "
                   "e.g. w3m,pdfplumber) instead of a hand-written text layout.")
def generate(out_dir: str, n: int, seed: int, samples: bool, renderers: str) -> None:
    """Write synthetic reports with their gold values (gold.csv, meta.csv) to OUT_DIR."""
    from xxgk.synth import write_corpus, write_samples
    from xxgk.synth.renderers import RENDERERS, MissingTool

    names = list(RENDERERS) if renderers == "all" else [r for r in renderers.split(",") if r]
    if unknown := [r for r in names if r not in RENDERERS]:
        _fail(f"unknown renderer {unknown[0]!r}; known: {', '.join(RENDERERS)}", 2)
    try:
        reports = (write_samples(out_dir, seed) if samples
                   else write_corpus(out_dir, n, seed, renderers=names))
    except MissingTool as e:
        _fail(str(e))
    click.echo(f"wrote {len(reports)} reports to {out_dir}")
