"""The `xxgk` program's processes, for real: kill -9 of `xxgk ingest` mid-run leaves no process
of the run alive and no lasting trace (the next run removes its next version and records it
abandoned); SIGTERM ends a run in one line, recorded `terminated by SIGTERM`; and while the run
works, a reader keeps its view and `xxgk query` answers from the published warehouse.

The run is the program itself (Prefect's temporary server, parser workers and multiprocessing's
resource tracker included) on generated reports and the real parser; processes are found in
/proc, as an operator's `ps` would."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.cli import main
from xxgk.load import journal
from xxgk.load import warehouse as wh
from xxgk.load.versions import leftovers
from xxgk.synth import write_corpus

pytestmark = [pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
              pytest.mark.usefixtures("prefect_harness")]

PROGRAM = [sys.executable, "-c", "from xxgk.cli import program; program()"]
"""What the installed `xxgk` script runs."""

FIRST = 20
"""Reports published before the run under test (in process: no program start to wait for)."""


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, start time, state) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), fields[19], fields[0]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def tree(root: int) -> dict[int, str]:
    """Every living process below `root`: pid -> start time (a pid reused later differs)."""
    stats = {int(p.name): s for p in Path("/proc").iterdir()
             if p.name.isdigit() and (s := _stat(int(p.name)))}
    out, todo = {}, [root]
    while todo:
        parent = todo.pop()
        for pid, (ppid, started, state) in stats.items():
            if ppid == parent and state != "Z":
                out[pid] = started
                todo.append(pid)
    return out


def survivors(seen: dict[int, str]) -> list[str]:
    return [f"{pid} {_cmdline(pid)}" for pid, started in seen.items()
            if (s := _stat(pid)) and s[1] == started and s[2] != "Z"]


def wait_until(check: Callable[[], bool], seconds: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated reports: enough for parser workers to be busy for a few seconds."""
    raw = tmp_path_factory.mktemp("corpus")
    write_corpus(raw, 300, seed=41)
    for gold in ("gold.csv", "meta.csv"):
        (raw / gold).unlink()
    return raw


@pytest.fixture
def published(corpus: Path, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A warehouse holding the first reports of `corpus`, and a raw folder with all of it."""
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(corpus, raw)
    later = tmp_path / "later"
    later.mkdir()
    for path in sorted(raw.iterdir())[FIRST:]:
        path.rename(later / path.name)
    assert ingest_here(raw, db) == 0
    for path in later.iterdir():
        path.rename(raw / path.name)
    yield raw, db


def ingest_here(raw: Path, db: Path) -> int:
    return CliRunner().invoke(main, ["ingest", "--raw", str(raw), "--db", str(db)]).exit_code


def start_run(raw: Path, db: Path) -> tuple[subprocess.Popen, dict[int, str]]:
    """`xxgk ingest` as the program, watched until its parser workers are busy and its next
    version is being written; returns it and every process it has started so far."""
    run = subprocess.Popen([*PROGRAM, "ingest", "--raw", str(raw), "--db", str(db),
                            "--workers", "2", "--batch-size", "100"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[int, str] = {}

    def busy() -> bool:
        seen.update(tree(run.pid))
        workers = [p for p in seen if "spawn_main" in _cmdline(p)]
        return len(workers) >= 2 and bool(leftovers(db)) and run.poll() is None

    if not wait_until(busy, 180):
        run.kill()
        pytest.fail(f"the run never got busy: {run.communicate()}")
    seen.update(tree(run.pid))
    return run, seen


def reader(db: Path) -> subprocess.Popen:
    """An analyst's read-only connection, counting what it sees until told to stop."""
    code = ("import duckdb, sys, threading; c = duckdb.connect(sys.argv[1], read_only=True); "
            "stop = threading.Event(); threading.Thread(target=lambda: (sys.stdin.read(), "
            "stop.set()), daemon=True).start(); print('held', flush=True); seen = set()\n"
            "while not stop.wait(0.05):\n"
            "    seen.add(c.execute('SELECT (SELECT count(*) FROM source_files), "
            "(SELECT count(*) FROM facts), (SELECT count(*) FROM ingestion_runs)').fetchone())\n"
            "print(sorted(seen))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def seen_by(proc: subprocess.Popen) -> list[tuple[int, int, int]]:
    out, _ = proc.communicate("stop\n", timeout=30)
    return ast.literal_eval(out)


def counts(db: Path) -> tuple[int, int, int]:
    con = wh.connect(db, read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM source_files), (SELECT count(*) FROM "
                           "facts), (SELECT count(*) FROM ingestion_runs)").fetchone()
    finally:
        con.close()


def test_kill_9_mid_run_leaves_no_process_and_the_next_run_records_it(
        published: tuple[Path, Path]) -> None:
    raw, db = published
    before = counts(db)
    analyst = reader(db)
    try:
        killed_run_leaves_nothing(raw, db, before)
        assert seen_by(analyst) == [before]         # one view all along
    finally:
        analyst.kill()


def killed_run_leaves_nothing(raw: Path, db: Path, before: tuple[int, int, int]) -> None:
    run, seen = start_run(raw, db)
    assert any("uvicorn" in _cmdline(p) for p in seen)  # Prefect's temporary server

    result = CliRunner().invoke(main, ["query", "select count(*) from files", "--db", str(db),
                                       "--format", "csv"])
    assert result.exit_code == 0 and result.output.split() == ["count_star()", str(FIRST)]

    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert wait_until(lambda: not survivors(seen), 6), survivors(seen)
    assert counts(db) == before                     # the published warehouse is as it was
    assert leftovers(db)                            # the killed run's next version
    assert [r["status"] for r in journal.read(db)] == ["running"]
    status = CliRunner().invoke(main, ["status", "--db", str(db)]).output
    assert "abandoned" in status and "ended without finishing" in status

    assert ingest_here(raw, db) == 0                # the next run cleans up after it
    assert not leftovers(db) and journal.read(db) == []
    con = wh.connect(db, read_only=True)
    try:
        runs = con.execute("SELECT status, error FROM ingestion_runs ORDER BY started_at")
        (first, _), (killed, why), (last, _) = runs.fetchall()
    finally:
        con.close()
    assert (first, killed, last) == ("ok", "abandoned", "ok")
    assert int(why.split("pid ", 1)[1].split()[0]) in seen  # the run's own process


def test_sigterm_ends_a_run_in_one_line_recorded_as_terminated(
        published: tuple[Path, Path]) -> None:
    raw, db = published
    before = counts(db)
    run, seen = start_run(raw, db)
    run.send_signal(signal.SIGTERM)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 128 + signal.SIGTERM
    assert err.startswith("xxgk: ingest terminated by SIGTERM") and err.count("\n") == 1, err
    assert "Traceback" not in out + err
    assert wait_until(lambda: not survivors(seen), 6), survivors(seen)
    assert counts(db) == before and not leftovers(db)
    (record,) = journal.read(db)
    assert (record["status"], record["error"]) == ("failed", "terminated by SIGTERM")
