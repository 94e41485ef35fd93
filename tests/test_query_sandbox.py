"""`xxgk query` cannot touch the machine: files outside the warehouse, other databases and
extensions are refused with one `xxgk:` line and exit 1; --allow-files lifts the file
restriction for that one query; `xxgk export` still writes its own folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from analyst_corpus import sample_warehouse

XXGK = [sys.executable, "-c", "from xxgk.cli import main; main()"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory.mktemp("samples"))


def _query(db: Path, sql: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*XXGK, "query", sql, "--db", str(db), "--format", "csv", *options],
                          capture_output=True, text=True, timeout=120)


def _refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("xxgk: "), done.stderr
    return lines[0]


@pytest.mark.parametrize("sql", [
    "select * from read_text('{secret}')",
    "select * from read_csv('{secret}')",
    "copy (select 1) to '{target}'",
    "attach '{other}' as other",
    "install httpfs",
    "load httpfs",
])
def test_files_databases_and_extensions_are_refused(db: Path, tmp_path: Path, sql: str) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n42\n", encoding="utf-8")
    target, other = tmp_path / "written.csv", tmp_path / "other.duckdb"
    line = _refused(_query(db, sql.format(secret=secret, target=target, other=other)))
    assert "refused" in line and "--allow-files" in line
    assert not target.exists() and not other.exists()


def test_the_settings_cannot_be_turned_back_on(db: Path) -> None:
    line = _refused(_query(db, "set enable_external_access = true"))
    assert "locked" in line


def test_allow_files_lifts_the_file_restriction_for_that_query_only(db: Path,
                                                                    tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n42\n", encoding="utf-8")
    sql = f"select a from read_csv('{secret}')"
    done = _query(db, sql, "--allow-files")
    assert done.returncode == 0 and done.stdout.splitlines() == ["a", "42"], done.stderr
    _refused(_query(db, sql))


def test_the_warehouse_itself_still_answers(db: Path) -> None:
    done = _query(db, "select count(*) > 0 as some from reports")
    assert done.returncode == 0 and done.stdout.splitlines() == ["some", "True"], done.stderr


def test_export_still_writes_its_folder(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    done = subprocess.run([*XXGK, "export", "--db", str(db), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (out / "facts").is_dir() and (out / "dictionary.json").is_file()
    assert not list(tmp_path.glob("*.parquet"))
