"""The DuckDB warehouse: its schema (xxgk/sql), loading tidy frames, the conflict rule, runs.

Talks to DuckDB only: nothing here imports xxgk.extract or xxgk.transform (a test checks).
Only constants in this file: the CLI imports them without paying for DuckDB, pandas or Prefect.
"""

DEFAULT_DB = "data/warehouse.duckdb"
DEFAULT_RAW = "data/raw"
QUERY_FORMATS = ("table", "csv", "tsv", "json", "markdown")
