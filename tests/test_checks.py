"""The verdict of a check, case by case (xxgk/transform/checks.py VERDICTS): each case of the
table with rows read as it describes, and the Check it gives."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from xxgk.template import Row, load
from xxgk.transform.checks import (
    VERDICTS,
    Situation,
    check,
    identity_layout,
    passed,
    situation_of,
    table_wide_failures,
    verdict,
)
from xxgk.transform.split import Candidate, RowSplit

TEMPLATE = load("2021")
LAYOUT = identity_layout(TEMPLATE)
I1 = next(i for i in TEMPLATE.identities if i.rule == "I1" and i.scope == "自然人")
I3 = next(i for i in TEMPLATE.identities if i.rule == "I3" and i.scope == "s3.new_received")
ROW = {r.code: i for i, r in enumerate(TEMPLATE.rows) if r.code}


@dataclass
class _Read:
    row: Row
    split: RowSplit | None
    candidates: tuple[Candidate, ...]


def _cells(row: Row, values: dict[int, int]) -> Candidate:
    return tuple((str(values.get(p, 0)), values.get(p, 0), None) for p in range(len(row.cells)))


def _table(**rows: list[dict[int, int]] | None) -> list[_Read]:
    """Every row read one way as zeros, but those given: a list of readings (position: value),
    or None for a row not read; `complete=False` rows' readings are not all there are."""
    incomplete = rows.pop("incomplete", None) or []
    out = []
    for row in TEMPLATE.rows:
        spec = rows.get(row.code or "", [{}])
        if spec is None:
            out.append(_Read(row, RowSplit((), False, True, "cannot be read"), ()))
            continue
        cands = tuple(_cells(row, v) for v in spec)
        out.append(_Read(row, RowSplit(cands, True, row.code not in incomplete), cands))
    return out


def _run(idn, readings):
    single = {i: r.candidates[0] for i, r in enumerate(readings) if len(r.candidates) == 1}
    situation, _ = situation_of(idn, readings, LAYOUT, single)
    return verdict(situation).case, check(idn, readings, LAYOUT, single)


def test_every_row_read_one_way_the_sums_decide() -> None:
    case, c = _run(I1, _table(**{"s3.new_received": [{0: 5}], "s3.total": [{0: 5}]}))
    assert case == "every row read one way"
    assert (c.passed, c.expected, c.found) == (True, 5, 5)
    assert c.detail.endswith(": 5 = 5")
    _, broken = _run(I1, _table(**{"s3.new_received": [{0: 5}], "s3.total": [{0: 4}]}))
    assert (broken.passed, broken.detail[-7:]) == (False, ": 5 ≠ 4")


def test_a_row_not_read_leaves_it_undetermined() -> None:
    case, c = _run(I1, _table(**{"s3.carried_over": None}))
    assert case == "a row not read"
    assert c.passed is None
    assert c.detail == "undetermined: row 上年结转政府信息公开申请数量 could not be read"


@pytest.mark.parametrize("satisfied", [True, False])
def test_within_one_row_its_cut_decides(satisfied: bool) -> None:
    readings = _table(**{"s3.new_received": [{0: 1, 6: 1}, {0: 2, 6: 2}]})
    i = ROW["s3.new_received"]
    readings[i].split = RowSplit(readings[i].candidates, satisfied, True)
    case, c = _run(I3, readings)
    assert case == "within one row, whose cut it chose"
    assert c.passed is satisfied
    word = "holds" if satisfied else "fails"
    assert c.detail.endswith(f"{word} for every reading of the ambiguous cells")


def test_every_reading_tried_and_agreeing_decides() -> None:
    case, c = _run(I1, _table(**{"s3.new_received": [{0: 5}, {0: 6}], "s3.total": [{0: 4}]}))
    assert case == "every reading tried, all agree"
    assert c.passed is False
    assert c.detail.endswith("fails for every reading of the ambiguous cells")


@pytest.mark.parametrize("readings", [
    {"s3.new_received": [{0: 4}, {0: 5}], "s3.total": [{0: 4}]},  # one holds, one breaks
    {"s3.new_received": [{0: 5}, {0: 6}], "s3.total": [{0: 4}],  # agree, but not all tried
     "incomplete": ["s3.new_received"]},
], ids=["disagreeing", "not all tried"])
def test_otherwise_undetermined(readings: dict) -> None:
    case, c = _run(I1, _table(**readings))
    assert case == "readings not all tried, or disagreeing"
    assert c.passed is None
    assert c.detail.endswith("undetermined, cells are ambiguous")


def test_the_table_is_in_first_match_order_and_ends_with_any_situation() -> None:
    assert VERDICTS[-1].when == {}
    assert verdict(Situation()).case == VERDICTS[-1].case
    assert passed(Situation()) is None
    # the first match wins: a row not read outweighs an own-row cut
    assert passed(Situation(unread=True, own_row=True, row_satisfied=True)) is None
    assert passed(Situation(one_way=True, verdicts=frozenset({False}))) is False


def test_a_rule_broken_by_every_reading_fails_in_the_requests_scope() -> None:
    failed = table_wide_failures(TEMPLATE, {"I2", "I1"}, [])
    assert [(c.rule, c.scope, c.passed) for c in failed] == [("I1", "三", False),
                                                             ("I2", "三", False)]
    assert table_wide_failures(TEMPLATE, {"I1"}, failed) == []
