"""`signed` enforced: a negative number in a cell the template does not mark signed is no value,
flagged `negative_unsigned`, its printed text kept; a signed cell (本年增/减) keeps its negative."""

from __future__ import annotations

import re

import pytest

from xxgk.synth import generate_report
from xxgk.template import load
from xxgk.transform.parse import parse_bytes
from xxgk.transform.signs import NEGATIVE_UNSIGNED
from xxgk.vocabulary import FLAG_KINDS

CELL = ("s2.licensing.decisions", None)  # 行政许可's 本年处理决定数量: a count in both versions


def _report_with_count(layout: str):
    """A generated 2021 report whose 行政许可 row prints a positive count."""
    return next(r for seed in range(50)
                if (r := generate_report(seed, version="2021", layout=layout, encoding="utf-8"))
                and isinstance(r.gold[CELL], int) and r.gold[CELL] > 0)


def _fact(report, key):
    return next(f for f in report.facts if (f.code, f.applicant_type) == key)


@pytest.mark.parametrize("layout", ["pipe", "markdown", "tsv", "csv", "cell_per_line"])
def test_a_negative_count_is_flagged_and_not_kept(layout: str) -> None:
    synthetic = _report_with_count(layout)
    value = synthetic.gold[CELL]
    as_printed = parse_bytes(synthetic.data, synthetic.name)
    assert _fact(as_printed, CELL).value == value  # the report as generated: read as printed
    assert not load("2021").is_signed(CELL[0])

    lines = synthetic.text.split("\n")
    at = next(i for i, line in enumerate(lines) if "行政许可" in line)
    row = next(i for i in range(at, len(lines)) if re.search(rf"(?<!\d){value}(?!\d)", lines[i]))
    lines[row] = re.sub(rf"(?<!\d){value}(?!\d)", f"-{value}", lines[row], count=1)
    report = parse_bytes("\n".join(lines).encode("utf-8"), synthetic.name)

    fact = _fact(report, CELL)
    assert fact.value is None
    assert fact.raw == f"-{value}"
    assert fact.flag.startswith(f"{NEGATIVE_UNSIGNED}: printed '-{value}'")
    others = [f for f in report.facts if (f.code, f.applicant_type) != CELL]
    assert [f.value for f in others] == [_fact(as_printed, (f.code, f.applicant_type)).value
                                         for f in others]


def test_a_negative_in_a_signed_cell_is_kept() -> None:
    synthetic = next(r for seed in range(50)
                     if (r := generate_report(seed, version="2019", layout="markdown",
                                              encoding="utf-8"))
                     and any(isinstance(v, int) and v < 0 for (c, _), v in r.gold.items()
                             if c.endswith("items_change")))
    report = parse_bytes(synthetic.data, synthetic.name)
    negatives = [f for f in report.facts if f.value is not None and f.value < 0]
    assert negatives
    assert all(load("2019").is_signed(f.code) and f.flag is None for f in negatives)
    assert all(f.value == synthetic.gold[(f.code, f.applicant_type)] for f in negatives)


def test_the_flag_is_a_known_kind() -> None:
    assert NEGATIVE_UNSIGNED in {k.kind for k in FLAG_KINDS}
