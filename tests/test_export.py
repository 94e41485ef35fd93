"""`xxgk export`: Parquet partitioned by year read back gives the warehouse's numbers; CSV in
the encodings Excel/WPS open; the dictionary beside."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from analyst_corpus import sample_warehouse
from click.testing import CliRunner

from xxgk.analysis.export import relations
from xxgk.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory.mktemp("samples"))


def _export(db: Path, out: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--out", str(out), *options])
    assert result.exit_code == 0, result.output


def test_parquet_read_back_gives_the_same_facts(db: Path, tmp_path: Path) -> None:
    _export(db, tmp_path, "--format", "parquet")
    wh = duckdb.connect(str(db), read_only=True)
    expected = wh.execute("SELECT count(*), sum(value), count(DISTINCT year) FROM facts"
                          ).fetchall()
    headline = wh.execute("SELECT count(*), sum(received_new) FROM report_headline").fetchall()
    wh.close()
    con = duckdb.connect()
    facts = con.execute(f"SELECT count(*), sum(value), count(DISTINCT year) FROM read_parquet("
                        f"'{tmp_path}/facts/**/*.parquet', hive_partitioning = true)").fetchall()
    back = con.execute(f"SELECT count(*), sum(received_new) FROM read_parquet("
                       f"'{tmp_path}/report_headline/**/*.parquet', hive_partitioning = true)"
                       ).fetchall()
    assert facts[0][0] == expected[0][0] > 7000
    assert facts[0][1] == pytest.approx(expected[0][1]) and facts[0][2] == expected[0][2]
    assert back == headline
    assert sorted(p.name for p in (tmp_path / "facts").iterdir())[0] == "year=2019"
    assert len(pd.read_parquet(tmp_path / "facts")) == expected[0][0]  # pyarrow, hive layout
    for name in relations():
        assert (tmp_path / name).is_dir() or (tmp_path / f"{name}.parquet").is_file(), name


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_opens_in_the_chosen_encoding(db: Path, tmp_path: Path, encoding: str) -> None:
    _export(db, tmp_path, "--format", "csv", "--encoding", encoding)
    data = (tmp_path / "report_headline.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    frame = pd.read_csv(tmp_path / "report_headline.csv", encoding=encoding)
    assert len(frame) == 40 and "临江市人民政府办公室" in set(frame["agency"])
    assert len(pd.read_csv(tmp_path / "facts.csv", encoding=encoding)) > 7000


def test_the_dictionary_travels_with_the_files(db: Path, tmp_path: Path) -> None:
    _export(db, tmp_path)
    d = json.loads((tmp_path / "dictionary.json").read_text(encoding="utf-8"))
    assert d["warehouse"]["storage_version"].startswith("v1.")
    names = {r["name"] for r in d["relations"]}
    assert set(relations()) <= names
    assert "### report_headline (view)" in (tmp_path / "dictionary.md").read_text("utf-8")
