"""Loading parsed reports into the DuckDB warehouse (schema in xxgk/sql).

Only constants here: the CLI imports them without paying for DuckDB, Arrow or Prefect.
"""

DEFAULT_DB = "data/warehouse.duckdb"
DEFAULT_RAW = "data/raw"
QUERY_FORMATS = ("table", "csv", "tsv", "json", "markdown")
