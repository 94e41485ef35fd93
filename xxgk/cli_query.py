"""`xxgk query` output: run SQL read-only and print it as a table, CSV or JSON lines."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TextIO
from uuid import UUID

import duckdb

from xxgk.load import warehouse as wh

TABLE_MAX_ROWS = 200
"""The table format is for reading; csv and json stream every row."""


def _rows(con: duckdb.DuckDBPyConnection, size: int = 10_000) -> Iterator[tuple]:
    """Stream the result of the last execute() (relations re-run on every read)."""
    while chunk := con.fetchmany(size):
        yield from chunk


def _plain(value: object) -> object:
    """A JSON-able form of what DuckDB returns (timestamps, decimals, maps, blobs)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _markdown_cell(value: object) -> str:
    text = "" if value is None else str(_plain(value))
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_lines(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """A markdown table, line by line (also the data dictionary's tables)."""
    yield "| " + " | ".join(columns) + " |"
    yield "|" + "---|" * len(columns)
    for row in rows:
        yield "| " + " | ".join(_markdown_cell(v) for v in row) + " |"


def write(con: duckdb.DuckDBPyConnection, sql: str, fmt: str, out: TextIO,
          params: dict[str, object] | None = None) -> None:
    """`sql` (with $name parameters from `params`) in `fmt`: table, csv, tsv, json (one object
    per line) or markdown."""
    if fmt == "table":
        rel = con.sql(sql, params=params or None)
        if rel is not None:
            _show(rel, out)
        return
    con.execute(sql, params or None)
    if con.description is None:
        return
    columns = [d[0] for d in con.description]
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, lineterminator="\n", delimiter="," if fmt == "csv" else "\t")
        writer.writerow(columns)
        writer.writerows(_rows(con))
    elif fmt == "markdown":
        out.writelines(line + "\n" for line in markdown_lines(columns, _rows(con)))
    else:
        for row in _rows(con):
            obj = {c: _plain(v) for c, v in zip(columns, row, strict=True)}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _show(rel: duckdb.DuckDBPyRelation, out: TextIO) -> None:
    """DuckDB's own box rendering (what its shell prints), captured for `out`."""
    width = shutil.get_terminal_size((160, 40)).columns
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rel.show(max_width=width, max_rows=TABLE_MAX_ROWS, null_value="NULL")
    out.write(buf.getvalue())


def refusal(e: duckdb.PermissionException) -> str:
    """One line for SQL the analyst connection refused (a file, a database, an extension)."""
    what = str(e).splitlines()[0].removeprefix("Permission Error: ")
    return (f"query refused: {what}. `xxgk query` reads the warehouse only; pass "
            "--allow-files to let this query read or write files (extensions stay off)")


def run(db: str | Path, sql: str, fmt: str, out: TextIO,
        params: dict[str, object] | None = None) -> None:
    """Run `sql` on a read-only analyst connection and write its result to `out` in `fmt`."""
    con = wh.connect_analyst(db)
    try:
        write(con, sql, fmt, out, params)
    finally:
        con.close()
