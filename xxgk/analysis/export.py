"""`xxgk export`: the loader's facts, reports and checks and every analyst view, as Parquet
(hive-partitioned by year: Spark, Trino, pandas and DuckDB 1.x read it) or as CSV that Excel/WPS
on a Chinese Windows opens without garbling, with the data dictionary beside them (comments do
not travel in either format).
"""

from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path

import duckdb

from xxgk.analysis import dictionary

BASE_TABLES = ("facts", "reports", "checks")
FORMATS = ("parquet", "csv")
ENCODINGS = ("utf-8-sig", "gb18030")
"""utf-8-sig: Excel reads the BOM as UTF-8; gb18030: what WPS/Excel on a Chinese Windows assume
without one, and it encodes every Unicode character."""


def analyst_views() -> tuple[str, ...]:
    """The views sql/analyst.sql creates, in its order."""
    text = resources.files("xxgk.sql").joinpath("analyst.sql").read_text(encoding="utf-8")
    return tuple(re.findall(r"CREATE OR REPLACE VIEW (\w+)", text))


def relations() -> tuple[str, ...]:
    return BASE_TABLES + analyst_views()


def _has_year(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_columns() WHERE table_name = ? "
                            "AND column_name = 'year'", [name]).fetchall())


def _parquet(con: duckdb.DuckDBPyConnection, name: str, out: Path) -> Path:
    if _has_year(con, name):
        target = out / name
        con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' "
                    "(FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE)")
        return target
    target = out / f"{name}.parquet"
    con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet)")
    return target


def _text(value: object) -> object:
    """Maps and lists as JSON text: a CSV cell holds one string."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _csv(con: duckdb.DuckDBPyConnection, name: str, out: Path, encoding: str) -> Path:
    target = out / f"{name}.csv"
    con.execute(f"SELECT * FROM {name}")
    with target.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow([d[0] for d in con.description])
        while chunk := con.fetchmany(10_000):
            writer.writerows([_text(v) for v in row] for row in chunk)
    return target


def export(con: duckdb.DuckDBPyConnection, out: str | Path, fmt: str = "parquet",
           encoding: str = "utf-8-sig") -> list[Path]:
    """Write every relation to `out` in `fmt`, and the dictionary beside; returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [_parquet(con, n, out) if fmt == "parquet" else _csv(con, n, out, encoding)
               for n in relations()]
    return written + dictionary.write(con, out)
