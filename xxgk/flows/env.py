"""Prefect settings for a clean command line, applied before Prefect is imported.

Prefect reads its settings when it is imported, so the CLI calls `quiet_prefect()` first.
Only defaults are set: a user's own environment or Prefect profile still wins.
"""

from __future__ import annotations

import logging
import os


def quiet_prefect(verbose: bool = False) -> None:
    """No telemetry (the server's fails offline with an error-level log; the client's prints a
    notice on a terminal) and, unless verbose, no INFO lines on the console (the temporary
    server's start/stop, every task run). Logs still reach the Prefect API, so a run against
    a real server shows them in its UI."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # the client's side, and its notice on a tty
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL",
                          "INFO" if verbose else "WARNING")


RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


def _not_a_run_error(record: logging.LogRecord) -> bool:
    return not (record.levelno >= logging.ERROR and record.name.startswith(RUN_LOGGERS))


def failures_told_once() -> None:
    """The CLI tells a failed run in one `xxgk:` line (a bug with its traceback), so Prefect's
    console copy of the flow's and tasks' error records, tracebacks included, is left out.
    Call it after importing Prefect (which sets up its logging then). The records still reach
    the Prefect API: a server's UI shows them."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler):
            handler.addFilter(_not_a_run_error)
