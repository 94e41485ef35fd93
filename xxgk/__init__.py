"""xxgk: Chinese government information-disclosure annual reports into a DuckDB warehouse."""

__version__ = "0.1.0"

PARSER_VERSION = "1"
"""Bumped whenever the same bytes could parse to different facts; stored with every report."""
