"""Two DuckDB idioms every loader step uses: a transaction, and a DataFrame in scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: committed when the block ends, rolled back if it raises."""
    con.execute("BEGIN")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pd.DataFrame) -> Iterator[str]:
    """`table` queryable as `name` inside the block (DuckDB scans it in place)."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)
