"""The README's example queries, one per analyst view, run as printed against the sample
warehouse (data/raw ingested)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from analyst_corpus import sample_warehouse
from click.testing import CliRunner

from xxgk.analysis.export import analyst_views
from xxgk.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
EMPTY_ON_SAMPLES = {"cross_year_breaks", "prose_vs_table"}
"""The samples are consistent across years and their prose agrees with their tables."""


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"### One query per analyst view\n+```sh\n(.*?)```", text, re.S)
    assert block, "README lost its section of analyst queries"
    return [line for line in block[1].splitlines() if line.strip()]


def _view(args: list[str]) -> str:
    return re.search(r"\bfrom (\w+)", args[2])[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory.mktemp("samples"))


def test_one_query_per_analyst_view() -> None:
    views = sorted(_view(shlex.split(line)) for line in readme_queries())
    assert views == sorted(analyst_views())


@pytest.mark.parametrize("line", readme_queries(), ids=lambda line: _view(shlex.split(line)))
def test_readme_query_runs_on_the_samples(db: Path, line: str) -> None:
    args = shlex.split(line)
    assert args[:2] == ["xxgk", "query"]
    result = CliRunner().invoke(main, [*args[1:], "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(r) for r in result.output.splitlines()]
    assert bool(rows) != (_view(args) in EMPTY_ON_SAMPLES), rows[:3]
