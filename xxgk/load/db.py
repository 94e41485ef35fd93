"""Two DuckDB idioms every loader step uses: a transaction, and an Arrow table in scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa


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
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[str]:
    """`table` queryable as `name` inside the block (DuckDB scans it in place, no copy)."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)
