"""A warehouse folder that cannot take the warehouse fails in one `xxgk:` line, exit 1, before
the run starts; a missing parent folder that can be created is created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_fake

from xxgk.cli import main

XXGK = [sys.executable, "-c", "from xxgk.cli import main; main()"]


def _one_line_failure(raw: Path, db: Path | str, kind: str = "ingest") -> str:
    done = subprocess.run([*XXGK, kind, "--raw", str(raw), "--db", str(db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("xxgk: "), done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return lines[0]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    write_fake(tmp_path / "raw", "a/2021.txt", "甲县人民政府", 2021)
    return tmp_path / "raw"


@pytest.mark.parametrize("kind", ["ingest", "rebuild"])
def test_a_file_where_the_folder_should_be(raw: Path, tmp_path: Path, kind: str) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert "is a file, not a folder" in _one_line_failure(raw, tmp_path / "afile" / "w.duckdb",
                                                           kind)
    assert "lies under a file" in _one_line_failure(raw, tmp_path / "afile" / "sub" / "w.duckdb")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_parent_folder_that_cannot_be_created(raw: Path) -> None:
    line = _one_line_failure(raw, "/proc/no-such-folder/w.duckdb")
    assert "does not exist and cannot be created" in line and "--db" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod 555 folder anyway")
def test_a_read_only_folder(raw: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    try:
        assert "cannot be written (Permission denied)" in _one_line_failure(raw,
                                                                           folder / "w.duckdb")
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not Path("/sys/class").is_dir(), reason="needs Linux's sysfs")
def test_a_folder_no_one_writes(raw: Path) -> None:
    assert "cannot be written" in _one_line_failure(raw, "/sys/w.duckdb")


@pytest.mark.usefixtures("fake_parser", "prefect_harness")
def test_a_missing_parent_folder_is_created(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "w.duckdb"
    result = CliRunner().invoke(main, ["ingest", "--raw", str(raw), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.is_file()


def test_a_file_system_failure_midway_is_one_line_and_a_bug_is_not() -> None:
    import errno

    import duckdb

    from xxgk.cli import _flow_failure

    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/data/w.duckdb.wal")
    assert _flow_failure("ingest", full) == (
        "ingest failed: No space left on device (/data/w.duckdb.wal): fix that, then run it again")
    line = _flow_failure("rebuild", duckdb.IOException("IO Error: could not write\nmore"))
    assert line == "rebuild failed writing the warehouse: IO Error: could not write"
    with pytest.raises(KeyError):
        _flow_failure("ingest", KeyError("a bug"))
