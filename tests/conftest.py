"""Shared fixtures: a stand-in parser and the raw folders it reads.

The warehouse and flow tests are about loading, not parsing: they swap the parser for
`fake_parse`, which reads a tiny `key=value` file naming agency, year, template, status and
how many cells to flag, and returns a full report built from the template data. So the tests
neither depend on the parser's progress nor break when it improves.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from xxgk import PARSER_VERSION
from xxgk.model import Check, Fact, ParsedReport, Source
from xxgk.template import load as load_template

_PREFECT_HOME = tempfile.mkdtemp(prefix="xxgk-test-prefect-")


def pytest_configure(config: pytest.Config) -> None:
    """Prefect (here and in CLI subprocesses) keeps its state in a temporary folder, never the
    home directory, reaches no server of the developer's, and sends no telemetry."""
    os.environ["PREFECT_HOME"] = _PREFECT_HOME
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "WARNING"
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.pop("PREFECT_PROFILE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server (temporary database) for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


def fake_parse(data: bytes, path: str, sha256: str | None = None) -> ParsedReport:
    """Parse a `key=value` stand-in report (see `write_fake`); the parser's signature."""
    src = Source(path, sha256 or hashlib.sha256(data).hexdigest(), len(data), "utf-8",
                 "strict utf-8")
    try:
        spec = dict(line.split("=", 1) for line in data.decode("utf-8").splitlines() if line)
    except ValueError:
        return ParsedReport(path, src, "error", error="not a report", parser_version=PARSER_VERSION)
    version = spec.get("template", "2021")
    tpl = load_template(version)
    seed, flagged = int(spec.get("seed", 0)), int(spec.get("flagged", 0))
    facts = [Fact(c.section, c.code, c.category, c.column, c.applicant_type,
                  None if i < flagged else (seed + i) % 7, c.unit or None,
                  "12" if i < flagged else str((seed + i) % 7),
                  "ambiguous_split: stand-in" if i < flagged else None)
             for i, c in enumerate(tpl.cells)]
    status = spec.get("status", "ok")
    checks = [Check(i.rule, i.scope, status != "checks_failed" or n > 0, 1, 1 if n else 2, "")
              for n, i in enumerate(tpl.identities)]
    return ParsedReport(
        file=path, source=src, status=status, agency=spec.get("agency"), agency_source="title",
        year=int(spec["year"]) if "year" in spec else None, year_source="title",
        template=version, facts=facts, checks=checks, prose={"一": spec.get("prose", "总体情况")},
        parser_version=PARSER_VERSION)


def write_fake(raw: Path, name: str, agency: str, year: int, **fields: object) -> Path:
    """Write a stand-in report; `fields` (template, status, flagged, seed, prose) as text."""
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"agency={agency}", f"year={year}", *(f"{k}={v}" for k, v in fields.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bump_mtime(path: Path) -> None:
    """Make a rewrite visible to the size/mtime check even within one clock tick."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def fake_parser(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("xxgk.transform.parse.parse_bytes", fake_parse)
    return fake_parse


@pytest.fixture
def fake_raw(tmp_path: Path) -> Path:
    """A raw folder of stand-in reports: three agencies, both templates, one failed check,
    one unreadable file, one conflict (two files claiming agency B 2021)."""
    d = tmp_path / "raw"
    write_fake(d, "a/2020.txt", "甲县人民政府", 2020, template="2019", seed=1)
    write_fake(d, "a/2021.txt", "甲县人民政府", 2021, seed=2)
    write_fake(d, "b/2021.md", "乙市教育局", 2021, seed=3, status="checks_failed")
    write_fake(d, "b/2021-copy.txt", "乙市教育局", 2021, seed=4, flagged=2)
    write_fake(d, "c/2022", "丙区卫健委", 2022, seed=5)
    (d / "c" / "broken.txt").write_bytes(b"\xff\xfe not a report at all")
    (d / "c" / "image.png").write_bytes(b"\x89PNG")
    return d


VOLATILE = {"first_seen", "last_seen", "changed_at", "last_run_id", "loaded_at", "run_id",
            "detected_at"}
"""Columns that say when, not what: left out when comparing two warehouses."""

COMPARED_TABLES = ("source_files", "reports", "facts", "checks", "conflicts")


def snapshot(con) -> dict[str, list[tuple]]:
    """Every compared table's rows (volatile columns left out), sorted."""
    out = {}
    for table in COMPARED_TABLES:
        cols = [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [table]).fetchall() if c not in VOLATILE]
        out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
    return out


def ingest_plain(raw: Path, con, batch_size: int = 1000, order=None) -> dict[str, int]:
    """The ingest flow's steps without Prefect: scan, plan, parse, tidy and load batch by
    batch, then the winners the loader could not take from a batch.

    `order` reorders the files to read (to prove arrival order does not matter).
    """
    from xxgk.extract.discover import scan
    from xxgk.flows.plan import plan
    from xxgk.flows.tasks import winners_to_read
    from xxgk.load import warehouse as wh
    from xxgk.load.batch_load import load_batch
    from xxgk.transform.batch import parse_batch
    from xxgk.transform.tidy import tidy

    p = plan(scan(raw), wh.known_files(con))
    wh.mark_missing(con, p.missing, "test")
    wh.touch(con, p.unchanged_frame(), "test")
    todo = order(p.to_read) if order else p.to_read
    parsed = 0
    for i in range(0, len(todo), batch_size):
        batch = parse_batch(str(raw), todo[i:i + batch_size], p.known_sha)
        load_batch(con, tidy(batch), "test")
        parsed += len(batch.parsed)
    if again := winners_to_read.fn(con, str(raw)):
        load_batch(con, tidy(parse_batch(str(raw), again, {})), "test")
    return {"parsed": parsed, "missing": len(p.missing), "unchanged": len(p.unchanged)}
