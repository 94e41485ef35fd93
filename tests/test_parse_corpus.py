"""The parser against the real published reports with hand-verified gold values in ../shared.

Skipped where ../shared is absent; the files are read in place, never copied into the project.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from xxgk.transform.parse import parse_file

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")


def _index() -> list[dict[str, str]]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _gold(stem: str) -> dict[tuple[str, str | None], tuple[float | None, bool]]:
    with open(CORPUS / "gold" / f"{stem}.csv", encoding="utf-8") as f:
        return {
            (r["code"], r["applicant_type"] or None):
                (float(r["value"]) if r["value"] else None, bool(r.get("ambiguous")))
            for r in csv.DictReader(f)
        }


def _gold_reports() -> list[str]:
    return sorted(p.stem for p in (CORPUS / "gold").glob("*.csv")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("stem", _gold_reports())
def test_every_gold_cell_is_right_or_flagged_where_ambiguous(stem: str) -> None:
    report = parse_file(str(CORPUS / "reports" / f"{stem}.txt"))
    assert report.status in ("ok", "checks_failed"), report.error
    facts = {(f.code, f.applicant_type): f for f in report.facts}
    gold = _gold(stem)
    assert set(facts) == set(gold)
    wrong = []
    for key, (want, ambiguous) in gold.items():
        fact = facts[key]
        if fact.value is None and ambiguous:
            assert fact.flag, key
        elif fact.value != want:
            wrong.append((key, want, fact.value, fact.flag))
    assert not wrong


@pytest.mark.parametrize("row", _index() if CORPUS.is_dir() else [], ids=lambda r: r["file"])
def test_year_template_and_status_match_the_index(row: dict[str, str]) -> None:
    report = parse_file(str(CORPUS / "reports" / row["file"]))
    assert report.year == int(row["year"])
    if row["template"] == "older":
        assert report.status == "unsupported"
        assert report.prose["full_text"]
    else:
        assert report.template == row["template"]
        assert {"overview", "problems"} <= set(report.prose)
