"""The warehouse commands: ingest/status/query output and errors, refusing a second writer,
`serve` without a server, and (slow) `serve` against a real Prefect server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_fake

from xxgk.cli import EXIT_LOCKED, main
from xxgk.load import warehouse as wh
from xxgk.load.lock import WarehouseLocked

XXGK = [sys.executable, "-c", "from xxgk.cli import main; main()"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def ingested(fake_raw: Path, tmp_path: Path, fake_parser, prefect_harness) -> Path:
    db = tmp_path / "w.duckdb"
    code, out = run("ingest", "--raw", str(fake_raw), "--db", str(db))
    assert code == 0, out
    return db


def test_ingest_prints_a_summary_and_where_to_look(ingested: Path) -> None:
    code, out = run("ingest", "--raw", str(ingested.parent / "raw"), "--db", str(ingested))
    assert code == 0
    assert "6 seen, 0 new, 0 changed, 6 unchanged, 0 missing, 0 failed" in out
    assert "4 reports" in out and "1 conflicts" in out
    assert 'xxgk query "select * from problem_files"' in out
    assert "Traceback" not in out and "ERROR" not in out


def test_status_and_query_formats(ingested: Path) -> None:
    code, out = run("status", "--db", str(ingested))
    assert code == 0 and "4 reports" in out and "ingest" in out
    sql = "select agency, year, path from reports order by path"
    code, out = run("query", sql, "--db", str(ingested), "--format", "csv")
    assert code == 0 and out.splitlines()[:2] == ["agency,year,path",
                                                  "甲县人民政府,2020,a/2020.txt"]
    code, out = run("query", sql, "--db", str(ingested), "--format", "json")
    assert json.loads(out.splitlines()[0]) == {"agency": "甲县人民政府", "year": 2020,
                                               "path": "a/2020.txt"}
    code, out = run("query", "select * from report_summary", "--db", str(ingested))
    assert code == 0 and "乙市教育局" in out


def test_query_is_read_only_and_reports_sql_errors(ingested: Path) -> None:
    code, out = run("query", "delete from facts", "--db", str(ingested))
    assert code == 1 and "query failed" in out
    code, out = run("query", "select nonsense from nowhere", "--db", str(ingested))
    assert code == 1 and "query failed" in out


def test_commands_explain_what_is_missing(tmp_path: Path) -> None:
    code, out = run("query", "select 1", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "run `xxgk ingest` first" in out
    code, out = run("status", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "run `xxgk ingest` first" in out
    code, out = run("ingest", "--raw", str(tmp_path / "nope"), "--db", str(tmp_path / "w.db"))
    assert code == 1 and "does not exist" in out


@pytest.fixture
def other_process_holding(tmp_path: Path) -> Iterator[callable]:
    procs = []

    def hold(db: Path, how: str) -> subprocess.Popen:
        code = {"lock": "from xxgk.load.lock import write_lock as hold",
                "duckdb": "from duckdb import connect as hold"}[how]
        proc = subprocess.Popen(
            [sys.executable, "-c", f"{code}; import sys, time; h = hold(sys.argv[1]); "
             "h.__enter__() if hasattr(h, '__enter__') else None; print('held', flush=True); "
             "time.sleep(60)", str(db)],
            stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline().strip() == "held"
        return proc

    yield hold
    for proc in procs:
        proc.kill()
        proc.wait()


def test_parse_csv_writes_the_facts_the_warehouse_stores(ingested: Path, fake_raw: Path) -> None:
    """`xxgk parse --format csv` is the facts frame the ingest loads: same columns, same rows."""
    import csv
    import io

    path = fake_raw / "a/2021.txt"
    code, out = run("parse", str(path), "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    con = wh.connect(ingested, read_only=True)
    try:
        stored = con.execute("SELECT code, column_label, raw FROM facts "
                             "WHERE path = 'a/2021.txt' ORDER BY ALL").fetchall()
        assert list(rows[0]) == wh.columns(con, "facts")
    finally:
        con.close()
    assert sorted((r["code"], r["column_label"], r["raw"]) for r in rows) == stored


def test_a_second_run_is_refused_while_one_writes(ingested: Path, fake_raw: Path,
                                                  other_process_holding) -> None:
    holder = other_process_holding(ingested, "lock")
    code, out = run("ingest", "--raw", str(fake_raw), "--db", str(ingested))
    assert code == EXIT_LOCKED
    assert f"pid {holder.pid}" in out and "another run" in out
    code, out = run("rebuild", "--raw", str(fake_raw), "--db", str(ingested))
    assert code == EXIT_LOCKED


def test_duckdb_lock_is_the_backstop(ingested: Path, other_process_holding) -> None:
    holder = other_process_holding(ingested, "duckdb")
    with pytest.raises(WarehouseLocked):
        wh.connect(ingested)
    code, out = run("query", "select 1", "--db", str(ingested))
    assert code == EXIT_LOCKED and f"open for writing in process {holder.pid}" in out


def _env_without_server() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return env


def test_serve_refuses_without_a_prefect_server(tmp_path: Path) -> None:
    proc = subprocess.run([*XXGK, "serve", "--db", str(tmp_path / "w.duckdb")],
                          env=_env_without_server(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 2
    assert "prefect server start" in proc.stderr and "crontab" in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate: callable, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


@pytest.mark.slow
def test_served_flow_runs_on_its_schedule(tmp_path: Path) -> None:
    """A real Prefect server on loopback; `xxgk serve` every minute; a scheduled run lands."""
    import httpx

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**_env_without_server(), "PREFECT_HOME": str(tmp_path / "prefect"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
           "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [server]
    try:
        def healthy() -> bool:
            try:
                return httpx.get(f"{api}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        if not _wait(healthy, 90):
            pytest.skip("prefect server did not start on loopback")
        raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
        write_fake(raw, "a.txt", "甲", 2021)
        procs.append(subprocess.Popen(
            [*XXGK, "serve", "--cron", "* * * * *", "--raw", str(raw), "--db", str(db)],
            env={**env, "PREFECT_API_URL": api}, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

        def landed() -> bool:
            try:
                con = wh.connect(db, read_only=True)
            except (wh.WarehouseMissing, WarehouseLocked):
                return False
            try:
                return bool(con.execute("SELECT count(*) FROM ingestion_runs WHERE status = 'ok' "
                                        "AND flow_run_id IS NOT NULL").fetchall()[0][0])
            finally:
                con.close()

        assert _wait(landed, 180), "no scheduled run landed within 3 minutes"
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
