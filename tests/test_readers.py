"""A reader never stops the nightly run: with an analyst's read-only connection open in another
process, ingest and rebuild succeed and the reader keeps its view; a night with nothing to do
copies nothing and writes only its record; a process holding the file open for writing is
named in one line, exit 75; two runs are still kept apart (tests/test_cli.py)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import bump_mtime, write_fake

from xxgk.cli import EXIT_LOCKED, main
from xxgk.load import journal, runs
from xxgk.load import warehouse as wh
from xxgk.load.versions import leftovers

pytestmark = pytest.mark.usefixtures("fake_parser", "prefect_harness")

XXGK = [sys.executable, "-c", "from xxgk.cli import main; main()"]

SEEN = ("SELECT (SELECT count(*) FROM source_files), (SELECT count(*) FROM facts), "
        "(SELECT sum(value) FROM facts), (SELECT count(*) FROM ingestion_runs)")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def db(fake_raw: Path, tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    assert run("ingest", "--raw", str(fake_raw), "--db", str(path))[0] == 0
    return path


@pytest.fixture
def holding(tmp_path: Path) -> Iterator:
    """Start a process that opens the warehouse (read-only or for writing) and, if asked, keeps
    querying it; stopping it returns every distinct answer it got."""
    procs: list[subprocess.Popen] = []

    def hold(path: Path, read_only: bool) -> subprocess.Popen:
        code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "
                "'ro'); print('held', flush=True); seen = set()\n"
                "for line in sys.stdin:\n"
                "    if line.strip() == 'stop': break\n"
                "    seen.add(c.execute(sys.argv[3]).fetchone())\n"
                "print(sorted(seen), flush=True)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(path),
                                 "ro" if read_only else "rw", SEEN],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        return proc

    yield hold
    for proc in procs:
        proc.kill()
        proc.wait()


def ask(proc: subprocess.Popen) -> None:
    """The holder queries once (and waits for nothing: the answer is kept for `stop`)."""
    assert proc.stdin is not None
    proc.stdin.write("query\n")
    proc.stdin.flush()


def stop(proc: subprocess.Popen) -> list[tuple]:
    import ast

    out, _ = proc.communicate("stop\n", timeout=30)
    return ast.literal_eval(out.strip())


def seen_now(path: Path) -> tuple:
    con = wh.connect(path, read_only=True)
    try:
        return con.execute(SEEN).fetchone()
    finally:
        con.close()


def test_ingest_and_rebuild_succeed_while_a_reader_holds_the_warehouse(
        db: Path, fake_raw: Path, holding) -> None:
    before = seen_now(db)
    analyst = holding(db, read_only=True)
    ask(analyst)
    bump_mtime(write_fake(fake_raw, "a/2021.txt", "甲县人民政府", 2021, seed=9))
    write_fake(fake_raw, "d/2023.txt", "丁镇人民政府", 2023, seed=3)
    code, out = run("ingest", "--raw", str(fake_raw), "--db", str(db))
    assert code == 0, out
    ask(analyst)
    after_ingest = seen_now(db)
    assert after_ingest[0] == before[0] + 1 and after_ingest[2] != before[2]

    code, out = run("rebuild", "--raw", str(fake_raw), "--db", str(db))
    assert code == 0, out
    ask(analyst)
    assert seen_now(db)[:3] == after_ingest[:3]
    assert stop(analyst) == [before]                 # the reader kept its view throughout
    assert not leftovers(db) and journal.read(db) == []


def _file_state(path: Path) -> tuple[int, int, str]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_night_with_nothing_to_do_copies_nothing_and_keeps_its_record(
        db: Path, fake_raw: Path) -> None:
    untouched = _file_state(db)
    code, out = run("ingest", "--raw", str(fake_raw), "--db", str(db))
    assert code == 0 and "6 unchanged" in out
    assert _file_state(db) == untouched and not leftovers(db)
    (record,) = journal.read(db)
    assert (record["status"], record["files_unchanged"]) == ("ok", 6)
    assert "ingest  ok" in run("status", "--db", str(db))[1].splitlines()[5]

    write_fake(fake_raw, "d/2023.txt", "丁镇人民政府", 2023)
    assert run("ingest", "--raw", str(fake_raw), "--db", str(db))[0] == 0
    assert journal.read(db) == []                    # folded into the published version
    con = wh.connect(db, read_only=True)
    try:
        assert con.execute("SELECT status, files_new FROM ingestion_runs ORDER BY started_at"
                           ).fetchall() == [("ok", 6), ("ok", 0), ("ok", 1)]
    finally:
        con.close()


def _one_line(args: list[str]) -> str:
    done = subprocess.run([*XXGK, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_LOCKED, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("xxgk: ")
    return line


def test_a_process_holding_the_file_for_writing_is_named_in_one_line(
        db: Path, fake_raw: Path, holding) -> None:
    other = holding(db, read_only=False)
    for args in (["ingest", "--raw", str(fake_raw)], ["rebuild", "--raw", str(fake_raw)],
                 ["query", "select 1"], ["status"]):
        line = _one_line([*args, "--db", str(db)])
        assert f"open for writing in process {other.pid} (" in line
        assert "read_only=True" in line and "import duckdb" in line  # its command line


def test_a_run_killed_after_publishing_stays_recorded_as_finished(db: Path) -> None:
    """The journal is cleared after the rename: a run killed in between left its `running`
    line, and the next run must not overwrite the published `ok` with `abandoned`."""
    con = wh.connect(db, read_only=True)
    try:
        (run_id,) = con.execute("SELECT run_id FROM ingestion_runs").fetchone()
    finally:
        con.close()
    journal.append(db, {**runs.start_row("ingest", "raw"), "run_id": run_id})
    (abandoned,) = journal.abandon_dead(db)
    assert abandoned["status"] == "abandoned"
    copy = db.with_name("copy.duckdb")
    copy.write_bytes(db.read_bytes())
    con = wh.connect(copy)
    try:
        runs.fold(con, journal.read(db))
        assert con.execute("SELECT status FROM ingestion_runs").fetchall() == [("ok",)]
    finally:
        con.close()


def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    row = runs.start_row("ingest", "raw")
    journal.append(db, row)
    with open(journal.journal_path(db), "a", encoding="utf-8") as f:
        f.write('{"run_id": "cut')
    assert journal.read(db) == [row]


def _write(path: Path, sql: str) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute(sql)
    finally:
        con.close()


def test_an_older_schema_is_refused_even_on_a_night_with_nothing_to_do(
        db: Path, fake_raw: Path) -> None:
    _write(db, "UPDATE warehouse_meta SET value = '1' WHERE key = 'schema_version'")
    code, out = run("ingest", "--raw", str(fake_raw), "--db", str(db))
    assert code == 1 and "run `xxgk rebuild`" in out and journal.read(db) == []


def test_a_run_an_older_xxgk_left_running_is_shown_then_recorded_abandoned(
        db: Path, fake_raw: Path) -> None:
    _write(db, "UPDATE ingestion_runs SET status = 'running'")
    assert "ingest  abandoned" in run("status", "--db", str(db))[1]
    write_fake(fake_raw, "d/2023.txt", "丁镇人民政府", 2023)
    assert run("ingest", "--raw", str(fake_raw), "--db", str(db))[0] == 0
    con = wh.connect(db, read_only=True)
    try:
        assert con.execute("SELECT status, error FROM ingestion_runs ORDER BY started_at"
                           ).fetchall() == [("abandoned", runs.ENDED), ("ok", None)]
    finally:
        con.close()
