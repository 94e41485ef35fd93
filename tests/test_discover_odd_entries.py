"""Nothing in the raw folder is skipped silently: dangling and looping symbolic links, links
to folders, FIFOs and unreadable entries are counted as failed in the run's summary and listed
in problem_files with their reason, beside the reports that load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_fake

from xxgk.cli import main
from xxgk.extract.discover import scan
from xxgk.load import warehouse as wh

ODD = {
    "dangling.txt": "dangling symbolic link",
    "self.txt": "symbolic link loop",
    "up": "symbolic link loop: points back to the folder above it",
    "pipe.txt": "a FIFO (named pipe), not a regular file",
}


@pytest.fixture
def odd_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    write_fake(raw, "a/2021.txt", "甲县人民政府", 2021)
    os.symlink(raw / "gone.txt", raw / "dangling.txt")
    os.symlink("self.txt", raw / "self.txt")
    os.symlink("..", raw / "a" / "up")
    os.mkfifo(raw / "pipe.txt")
    os.symlink(raw / "a" / "2021.txt", raw / "linked.txt")  # a link to a file is read
    os.symlink("other.png", raw / "image.png")  # not report-named: not a report, no problem
    return raw


def test_scan_names_each_odd_entry_with_its_reason(odd_raw: Path) -> None:
    found = {f.path: f.problem for f in scan(odd_raw)}
    assert found.pop("a/2021.txt") is None and found.pop("linked.txt") is None
    assert {p.rsplit("/", 1)[-1]: reason for p, reason in found.items()}.keys() == ODD.keys()
    for path, reason in found.items():
        assert reason is not None and reason.startswith(ODD[path.rsplit("/", 1)[-1]]), reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file and folder anyway")
def test_unreadable_file_and_folder_are_named(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_fake(raw, "locked/2021.txt", "甲县人民政府", 2021)
    write_fake(raw, "secret.txt", "乙市教育局", 2021)
    (raw / "locked").chmod(0)
    (raw / "secret.txt").chmod(0)
    try:
        found = {f.path: f.problem for f in scan(raw)}
    finally:
        (raw / "locked").chmod(0o755)
    assert found["locked/"] == "cannot list folder: Permission denied"
    assert "secret.txt" in found  # read, and its error recorded, by the parse step


@pytest.mark.usefixtures("fake_parser", "prefect_harness")
def test_the_run_counts_them_and_problem_files_says_why(odd_raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(main, ["ingest", "--raw", str(odd_raw), "--db", str(db)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{len(ODD)} failed" in result.output
    con = wh.connect(db, read_only=True)
    try:
        rows = dict(con.execute("SELECT path, error FROM source_files WHERE status = 'error'"
                                ).fetchall())
        problems = {p for (p,) in con.execute("SELECT path FROM problem_files").fetchall()}
        loaded = con.execute("SELECT count(*) FROM reports").fetchone()
    finally:
        con.close()
    assert {p.rsplit("/", 1)[-1] for p in rows} == ODD.keys() and set(rows) <= problems
    assert all(rows[p].startswith(ODD[p.rsplit("/", 1)[-1]]) for p in rows)
    assert loaded == (1,)  # the report, and its link claiming the same agency and year
