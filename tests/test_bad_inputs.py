"""Bad inputs beside good ones, as a real `xxgk ingest` meets them: one raw folder with the
bundled samples and every kind of bad file (xxgk.synth.badinput). Every good report is loaded,
every bad file recorded with a reason a person understands; the run exits 0 and counts the
failures, or 65 with --strict; the 200 MB file is never read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.cli import EXIT_BAD_FILES, main
from xxgk.cli_summary import failed_lines
from xxgk.extract.discover import MAX_REPORT_BYTES, scan
from xxgk.load import warehouse as wh
from xxgk.synth.badinput import write_bad_inputs
from xxgk.transform.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
XXGK = [sys.executable, "-c", "from xxgk.cli import main; main()"]

FAILED = {
    "empty": "empty file",
    "binary_png": "a PNG image",
    "binary_zip": "a zip archive",
    "unknown_encoding": "cannot tell the text encoding",
    "not_a_report": "not a disclosure report table",
    "too_large": "too large for a report: 200 MiB, over the 8 MiB limit",
    "symlink_loop": "symbolic link loop",
    "symlink_loop_folder": "symbolic link loop: points back to the folder above it",
}
"""Kinds that make no report: status error, with (the start of) the reason."""
KEPT = {
    "cut_mid_table": ("incomplete", "s4: 15 of 15"),
    "table_missing": ("incomplete", "s4: 15 of 15"),
    "pre_2019": ("unsupported", "before the 2019 national template"),
}
"""Kinds that make a report ranked below complete ones, with their status and reason."""
GOOD = ("name_with_spaces", "name_with_newline", "bad_bytes")
NOT_READ = "not_report_by_name"
"""A .png, a .zip and an extension-less zip: no report by name, never read, only counted."""
PATIENT = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
"""Prefect's temporary server may take more than its default 20 s to start on a loaded
machine (as conftest's harness allows 60 s): a slow start is not what this test is about."""
PEAK_MEMORY_LIMIT = 1024 ** 3
"""The whole ingest stays far below this (about 0.4 GB, Prefect's server included); reading
the 200 MB file whole took 1.6 GB."""


def _ingest(raw: Path, db: Path, *flags: str) -> tuple[int, str, str, int]:
    """Run `xxgk ingest` as a process; its exit code, output, errors and peak memory (bytes)."""
    out, err = db.with_suffix(".out"), db.with_suffix(".err")
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([*XXGK, "ingest", "--raw", str(raw), "--db", str(db), *flags],
                                stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=PATIENT)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (proc.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"),
            usage.ru_maxrss * 1024)


@pytest.fixture(scope="module")
def bad_raw(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    raw = tmp_path_factory.mktemp("bad") / "raw"
    return raw, write_bad_inputs(raw, ROOT / "data" / "raw")


def _rows(db: Path, sql: str) -> list[tuple]:
    con = wh.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_folder_holds_every_kind(bad_raw: tuple[Path, dict[str, str]]) -> None:
    raw, kinds = bad_raw
    assert set(kinds.values()) == {"sample", *FAILED, *KEPT, *GOOD, "same_agency_year",
                                   NOT_READ}
    assert (raw / "巨大文件.txt").stat().st_size == 200 * 1024 * 1024
    assert (raw / "巨大文件.txt").stat().st_blocks * 512 < 1024 * 1024  # sparse


@pytest.fixture(scope="module")
def first_night(bad_raw: tuple[Path, dict[str, str]],
                tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """One `xxgk ingest` of the folder: the warehouse, the summary, the peak memory."""
    raw, _ = bad_raw
    db = tmp_path_factory.mktemp("night") / "w.duckdb"
    code, out, err, peak = _ingest(raw, db)
    assert code == 0 and "Traceback" not in out + err, out + err
    return db, out, peak


def test_good_reports_load_and_bad_files_are_recorded(
        bad_raw: tuple[Path, dict[str, str]], first_night: tuple[Path, str, int]) -> None:
    (_, kinds), (db, out, peak) = bad_raw, first_night
    assert f"{len(FAILED)} failed" in out
    (read_as,) = [line for line in out.splitlines() if line.startswith("  read as:")]
    # unsupported: the two pre-2019 samples and 旧版_2016.txt
    assert read_as.endswith(f", 2 incomplete, 3 unsupported, {len(FAILED)} error")
    assert peak < PEAK_MEMORY_LIMIT, f"peak memory {peak / 2**20:.0f} MiB"
    files = {p: (role, status, error) for p, role, status, error in _rows(
        db, "SELECT path, role, status, error FROM files")}
    assert set(files) == {p for p, k in kinds.items() if k != NOT_READ}
    assert "  not read:  3 files that are no report by their name (.png 1, .zip 1, binary, " \
           "no suffix 1)" in out.splitlines()
    for path, (role, status, error) in files.items():
        kind = kinds[path]
        if kind in FAILED:
            assert (role, status) == ("failed", "error") and error.startswith(FAILED[kind]), path
            assert error in out  # the summary names it, with its reason
        elif kind in KEPT:
            assert (role, status) == ("report", KEPT[kind][0]) and KEPT[kind][1] in error, path
        elif kind in GOOD:
            assert (role, status) == ("report", "ok"), (path, files[path])
    problems = {p for (p,) in _rows(db, "SELECT path FROM problem_files")}
    assert problems == {p for p, k in kinds.items() if k in FAILED} | {
        p for p, (role, _, _) in files.items() if role == "conflict"}


def test_a_failed_name_with_a_newline_stays_on_one_line() -> None:
    lines = failed_lines({"files_failed": 3, "failed_files": [
        ("换行\n名字.txt", "empty file"), ("带 空格.txt", "binary\ncontent"), ("甲.txt", "x")]})
    assert lines == ['Failed files (3):', '  "换行\\n名字.txt": empty file',
                     '  "带 空格.txt": binary content', "  甲.txt: x"]
    assert failed_lines({"files_failed": 30, "failed_files": [("a.txt", "x")]})[0] == (
        "Failed files (30, the first 1):")


def test_every_sample_report_is_loaded(bad_raw: tuple[Path, dict[str, str]],
                                       first_night: tuple[Path, str, int]) -> None:
    """Each sample is the kept file of its report, or lost it to a copy of the same bytes."""
    (raw, kinds), (db, _, _) = bad_raw, first_night
    kept = {p for (p,) in _rows(db, "SELECT path FROM reports")}
    lost = dict(_rows(db, "SELECT other_path, kept_path FROM conflicts"))
    for path in (p for p, k in kinds.items() if k == "sample"):
        assert path in kept or (raw / lost[path]).read_bytes() == (raw / path).read_bytes()
    assert len(lost) == 1


@pytest.mark.usefixtures("prefect_harness")
def test_strict_exits_65_and_says_why(bad_raw: tuple[Path, dict[str, str]],
                                      first_night: tuple[Path, str, int],
                                      tmp_path: Path) -> None:
    """On the second night too, though no failed file is new: they are still in the folder."""
    (raw, _), (db, _, _) = bad_raw, first_night
    shutil.copy(db, tmp_path / "w.duckdb")
    done = CliRunner().invoke(main, ["ingest", "--raw", str(raw), "--db",
                                     str(tmp_path / "w.duckdb"), "--strict"])
    assert done.exit_code == EXIT_BAD_FILES == 65
    assert done.stderr.splitlines() == [
        f"xxgk: --strict: {len(FAILED)} files in the raw folder could not be read as reports "
        "(select * from problem_files); the rest is loaded"]
    assert "Ingested" in done.stdout


@pytest.mark.usefixtures("prefect_harness")
def test_strict_rebuild_passes_on_the_samples_and_fails_on_a_bad_file(tmp_path: Path) -> None:
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(ROOT / "data" / "raw", raw)
    args = ["rebuild", "--raw", str(raw), "--db", str(db), "--strict"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    (raw / "空.txt").write_bytes(b"")
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 65 and "空.txt: empty file" in done.output


def test_replaced_byte_positions_reach_the_warehouse(
        bad_raw: tuple[Path, dict[str, str]], first_night: tuple[Path, str, int]) -> None:
    """The positions `xxgk parse` reports (decode_replacements) are source_files.replaced_bytes;
    a file that decoded cleanly has NULL."""
    (raw, kinds), (db, _, _) = bad_raw, first_night
    (spoiled,) = [p for p, k in kinds.items() if k == "bad_bytes"]
    parsed = parse_file(str(raw / spoiled)).to_dict()["decode_replacements"]
    stored = dict(_rows(db, "SELECT path, replaced_bytes FROM files WHERE encoding IS NOT NULL"))
    assert parsed["count"] == 7 and stored.pop(spoiled) == parsed["positions"]
    assert set(stored.values()) == {None}


def test_a_file_over_the_limit_is_refused_unopened(tmp_path: Path) -> None:
    """By its size alone: scan names the problem, so the run never reads it, and `xxgk parse`
    says the same."""
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    for path, size in ((big, MAX_REPORT_BYTES + 1), (small, MAX_REPORT_BYTES)):
        with path.open("wb") as fh:
            fh.truncate(size)
    problems = {f.path: f.problem for f in scan(tmp_path)}
    assert problems["big.txt"] is not None and problems["big.txt"].startswith("too large")
    assert problems["small.txt"] is None
    assert parse_file(str(big)).error == problems["big.txt"]
    assert parse_file(str(small)).error != problems["big.txt"]
