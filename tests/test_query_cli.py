"""`xxgk query` ergonomics: SQL from stdin or a file, named parameters, tsv and markdown,
--output; and the "Where to look" lines name the xxgk that ran and the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from analyst_corpus import sample_warehouse
from click.testing import CliRunner

from xxgk.cli import main
from xxgk.cli_summary import where_to_look

SQL = "select year, count(*) as n from reports where year >= $from group by 1 order by 1"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory.mktemp("samples"))


def run(db: Path, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(main, ["query", *args, "--db", str(db)], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_sql_from_stdin_with_a_parameter_as_tsv(db: Path) -> None:
    out = run(db, "-", "-p", "from=2023", "--format", "tsv", stdin=SQL)
    assert out.splitlines() == ["year\tn", "2023\t6", "2024\t4"]


def test_sql_from_a_file_as_markdown_to_a_file(db: Path, tmp_path: Path) -> None:
    (tmp_path / "q.sql").write_text(SQL, encoding="utf-8")
    target = tmp_path / "out.md"
    assert run(db, str(tmp_path / "q.sql"), "-p", "from=2024", "--format", "markdown",
               "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8").splitlines() == [
        "| year | n |", "|---|---|", "| 2024 | 4 |"]


def test_a_parameter_must_be_name_equals_value(db: Path) -> None:
    result = CliRunner().invoke(main, ["query", SQL, "-p", "2023", "--db", str(db)])
    assert result.exit_code == 1 and "NAME=VALUE" in result.output


def test_where_to_look_names_the_running_xxgk_and_the_warehouse(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.argv", [str(tmp_path / "bin" / "xxgk"), "ingest"])
    lines = where_to_look({"reports_failed_checks": 2}, tmp_path / "w.duckdb")
    assert lines[0] == (f'  {tmp_path}/bin/xxgk query "select * from report_summary limit 20" '
                        f"--db {tmp_path}/w.duckdb")
    assert any("failed_checks" in line for line in lines)
    assert "--db" not in where_to_look({}, "data/warehouse.duckdb")[0]
