"""Prefect flows over the plain functions of xxgk.extract, xxgk.transform and xxgk.load.

Only constants here: importing this package does not import Prefect.
"""

DEFAULT_CRON = "0 2 * * *"
TIMEZONE = "Asia/Shanghai"
"""The schedule's time zone: reports are Chinese, and so are the operators' nights."""
