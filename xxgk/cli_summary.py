"""What a run and the warehouse tell the operator: plain text, the same on a terminal and in
a cron log, each ending with the queries to look further."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import duckdb

from xxgk.load import DEFAULT_DB, journal, runs
from xxgk.load import warehouse as wh
from xxgk.load.lock import is_locked
from xxgk.vocabulary import STATUSES


def _n(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def xxgk_query(sql: str, db: str | Path | None = None) -> str:
    """A query command to type as printed: the `xxgk` that is running (its path), with --db
    when the warehouse is not the default one."""
    argv0 = Path(sys.argv[0])
    found = argv0 if argv0.name == "xxgk" else shutil.which("xxgk")
    program = str(Path(found).resolve()) if found else "xxgk"
    where = f" --db {shlex.quote(str(db))}" if db and Path(db) != Path(DEFAULT_DB) else ""
    return f'{shlex.quote(program)} query "{sql}"{where}'


def where_to_look(totals: dict[str, int], db: str | Path | None = None) -> list[str]:
    lines = [f'  {xxgk_query("select * from report_summary limit 20", db)}',
             f'  {xxgk_query("select * from report_headline limit 20", db)}    # headline figures']
    if totals.get("reports_failed_checks"):
        lines.append(f'  {xxgk_query("select * from failed_checks", db)}    '
                     f'# reports with failed checks: {_n(totals["reports_failed_checks"])}')
    problems = totals.get("files_failed", 0) + totals.get("conflicts", 0) \
        + totals.get("files_missing", 0)
    if problems:
        lines.append(f'  {xxgk_query("select * from problem_files", db)}    '
                     f'# {_n(totals.get("files_failed", 0))} failed, '
                     f'{_n(totals.get("conflicts", 0))} conflicts, '
                     f'{_n(totals.get("files_missing", 0))} missing')
    return lines


def shown_path(path: str) -> str:
    """A path on one line: quoted, with escapes, when it holds spaces or control characters
    (a file name may hold a newline)."""
    plain = path.isprintable() and " " not in path and '"' not in path
    return path if plain else json.dumps(path, ensure_ascii=False)


def failed_lines(s: dict) -> list[str]:
    """The files this run could not read as a report, each with its reason (the first few)."""
    shown = s.get("failed_files") or []
    if not shown:
        return []
    more = s["files_failed"] - len(shown)
    return [f"Failed files ({_n(s['files_failed'])}"
            + (f", the first {len(shown)}" if more > 0 else "") + "):",
            *(f"  {shown_path(path)}: {' '.join(why.split())}" for path, why in shown)]


def not_read_lines(not_read: Mapping[str, int]) -> list[str]:
    if not not_read:
        return []
    kinds = ", ".join(f"{suffix} {_n(n)}" for suffix, n in sorted(
        not_read.items(), key=lambda kv: (-kv[1], kv[0])))
    return [f"  not read:  {_n(sum(not_read.values()))} files that are no report by their name "
            f"({kinds})"]


def read_as_lines(statuses: Mapping[str, int]) -> list[str]:
    """What the files read in this run came back as, best status first."""
    order = [w.status for w in STATUSES]
    shown = [f"{_n(statuses[st])} {st}" for st in order if statuses.get(st)]
    return [f"  read as:   {', '.join(shown)}"] if shown else []


def run_summary(s: dict, db: str | Path, wall_seconds: float | None = None,
                not_read: Mapping[str, int] | None = None) -> str:
    """The end-of-run summary of `xxgk ingest` / `xxgk rebuild`.

    `wall_seconds` is the whole command's time, Prefect's start-up included; the run's own
    time (discover to last load) is the flow's `seconds`. `not_read`: files under the raw
    folder that are no report by name, by suffix.
    """
    t = s["totals"]
    verb = "Rebuilt" if s["kind"] == "rebuild" else "Ingested"
    took = f"{s['seconds']:.1f} s"
    if wall_seconds is not None:
        took = f"{wall_seconds:.1f} s ({took} reading and loading)"
    lines = [
        f"{verb} {s['raw']} into {db} in {took}",
        f"  files:     {_n(s['files_seen'])} seen, {_n(s['files_new'])} new, "
        f"{_n(s['files_changed'])} changed, {_n(s['files_unchanged'])} unchanged, "
        f"{_n(s['files_missing'])} missing, {_n(s['files_failed'])} failed",
        *not_read_lines(not_read or {}),
        *read_as_lines(s.get("statuses") or {}),
        f"  loaded:    {_n(s['reports_loaded'])} reports, {_n(s['facts_loaded'])} facts, "
        f"{_n(s['reports_failed_checks'])} of them with failed checks",
        f"  warehouse: {_n(t['reports'])} reports, {_n(t['facts'])} facts, "
        f"{_n(t['reports_failed_checks'])} reports with failed checks, "
        f"{_n(t['conflicts'])} conflicts, {_n(t['files_failed'])} failed files",
        f"  run {s['run_id']}" + (f", Prefect flow run {s['flow_run_id']}"
                                  if s.get("flow_run_id") else ""),
        *failed_lines(s),
        "Where to look:",
        *where_to_look(t, db),
    ]
    return "\n".join(lines) + "\n"


RUN_FIELDS = ("run_id", "kind", "status", "started_at", "seconds", "files_seen", "files_new",
              "files_changed", "files_failed", "reports_loaded", "error")


def last_runs(con: duckdb.DuckDBPyConnection, db: str | Path, n: int = 5) -> list[dict]:
    """The last `n` runs: the published warehouse's, and those still in the run journal (a
    night that wrote nothing, a failed or killed run). A journal run `running` while no run
    holds the write lock died (or, in a warehouse an older xxgk wrote, a published one): it is
    shown abandoned, as the next run will record it."""
    published = [dict(zip(RUN_FIELDS, r, strict=True)) for r in con.execute(
        f"SELECT {', '.join(RUN_FIELDS)} FROM latest_runs LIMIT ?", [n]).fetchall()]
    pending = runs.unrecorded(journal.read(db), runs.finished_ids(con))
    for r in pending:
        r["started_at"] = datetime.fromisoformat(str(r["started_at"]))
    merged = [*published, *pending]
    if not is_locked(db):
        merged = [runs.abandon_row(r) if r["status"] == "running" else r for r in merged]
    shown = sorted(merged, key=lambda r: r["started_at"], reverse=True)[:n]
    return [{f: r.get(f) for f in RUN_FIELDS} for r in shown]


def status(con: duckdb.DuckDBPyConnection, db: str | Path) -> str:
    """`xxgk status`: what the warehouse holds and its last runs."""
    t = wh.totals(con)
    lines = [f"Warehouse {db}",
             f"  {_n(t['reports'])} reports, {_n(t['facts'])} facts, {_n(t['files'])} files "
             f"({_n(t['files_failed'])} failed, {_n(t['files_missing'])} missing), "
             f"{_n(t['conflicts'])} conflicts"]
    by = con.execute("SELECT status, count(*) FROM reports GROUP BY ALL ORDER BY 2 DESC").fetchall()
    if by:
        lines.append("  reports by status: " + ", ".join(f"{s} {_n(n)}" for s, n in by))
    years = con.execute("SELECT year, count(*) FROM reports GROUP BY ALL ORDER BY 1").fetchall()
    if years:
        lines.append("  reports by year:   " + ", ".join(f"{y} {_n(n)}" for y, n in years))
    runs = last_runs(con, db)
    lines.append("Last runs:" if runs else "No runs yet.")
    for r in runs:
        when = r["started_at"].strftime("%Y-%m-%d %H:%M:%S %Z")
        took = f"{r['seconds']:.1f} s" if r["seconds"] is not None else "-"
        lines.append(f"  {when}  {r['kind']:<7} {r['status']:<9} {took:>8}  "
                     f"{_n(r['files_seen'] or 0)} files, {_n(r['files_new'] or 0)} new, "
                     f"{_n(r['files_changed'] or 0)} changed, {_n(r['files_failed'] or 0)} "
                     f"failed, {_n(r['reports_loaded'] or 0)} reports loaded"
                     + (f"  ({r['error']})" if r["error"] else ""))
    lines += ["Where to look:", *where_to_look(t, db)]
    return "\n".join(lines) + "\n"
