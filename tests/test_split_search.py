"""The search over cuts of run-together digits (xxgk/transform/split.py `_search`), step by step:
each named pruning step on its own, and the search stopping at its limit or budget by return
value."""

from __future__ import annotations

from xxgk.transform import split
from xxgk.transform.cells import Token
from xxgk.transform.split import (
    _cells_fit,
    _consistent,
    _forced_ends,
    _Search,
    _search,
    _total_unprintable,
)

TOTAL_OF_SIX = (((6,), (0, 1, 2, 3, 4, 5)),)  # I3: 总计 (cell 6) = the six applicant columns


def _num(text: str, whole: bool = False) -> Token:
    return Token("num", text, None, whole)


def _cut(search: _Search, values: dict[int, int]) -> _Search:
    for k, v in values.items():
        search.cells[k] = (str(v), v, None)
    return search


def test_cells_fit_one_per_token_at_least_one_per_digit_at_most() -> None:
    toks = (_num("12"), _num("3"))  # three digits, two tokens
    assert _cells_fit(_Search.of(toks, 3, (), 64), 0, 0, 0)
    assert _cells_fit(_Search.of(toks, 2, (), 64), 0, 0, 0)
    assert not _cells_fit(_Search.of(toks, 4, (), 64), 0, 0, 0)  # more cells than digits
    assert not _cells_fit(_Search.of(toks, 1, (), 64), 0, 0, 0)  # a token never skipped
    assert not _cells_fit(_Search.of(toks, 3, (), 64), 0, 1, 0)  # "2" and "3" left: two cells
    assert _cells_fit(_Search.of((_num("12", whole=True), _num("3")), 2, (), 64), 0, 0, 0)
    assert not _cells_fit(_Search.of((_num("12", whole=True), _num("3")), 3, (), 64), 0, 0, 0)


def test_forced_ends_only_the_piece_printing_the_implied_total() -> None:
    search = _cut(_Search.of((_num("2300000023"),), 7, TOTAL_OF_SIX, 64),
                  {0: 20, 1: 3, 2: 0, 3: 0, 4: 0, 5: 0})
    assert search.forced == {6: ((0, 1, 2, 3, 4, 5), ())}
    assert _forced_ends(search, 6, "23", 0, range(1, 3)) == range(2, 3)
    assert _forced_ends(search, 6, "x23", 1, range(2, 4)) == range(3, 4)
    assert _forced_ends(search, 6, "24", 0, range(1, 3)) is None  # 24 is not 23
    search.cells[0] = ("20.5", 20.5, None)  # a decimal sum: every end stays
    assert _forced_ends(search, 6, "23", 0, range(1, 3)) == range(1, 3)


def test_total_unprintable_when_the_parts_outgrow_the_room_left() -> None:
    search = _cut(_Search.of((_num("1000000100"),), 7, TOTAL_OF_SIX, 64), {0: 100})
    assert search.bounded[0] == (0,)
    # after cell 0 = 100, five cells of one digit at least and a total of three digits at least
    # need 5 + 3 = 8 characters
    search.chars[1] = 0
    assert _total_unprintable(search, 0, 0, 7)
    assert not _total_unprintable(search, 0, 0, 8)
    search.cells[0] = ("-1", -1, None)  # a negative part bounds nothing
    assert not _total_unprintable(search, 0, 0, 0)


def test_consistent_checks_the_identities_a_cell_completes() -> None:
    search = _cut(_Search.of((_num("1"),), 7, TOTAL_OF_SIX, 64),
                  {0: 1, 1: 1, 2: 0, 3: 0, 4: 0, 5: 0, 6: 2})
    assert search.completing == {6: [TOTAL_OF_SIX[0]]}
    assert _consistent(search, 6)
    assert _consistent(search, 3)  # cell 3 completes no identity
    search.cells[6] = ("3", 3, None)
    assert not _consistent(search, 6)


def test_search_cuts_run_together_digits_by_the_identity() -> None:
    found, within = _search((_num("230"), _num("000023")), 7, TOTAL_OF_SIX, 64)
    assert within
    assert [tuple(c[1] for c in cand) for cand in found] == [(23, 0, 0, 0, 0, 0, 23)]


def test_search_stops_at_its_limit_by_return_value() -> None:
    search = _Search.of((_num("123456"),), 3, (), 2)
    assert search.walk(0, 0, 0) is False  # stopped: the limit of two candidates is reached
    assert len(search.found) == 2
    assert _search((_num("123456"),), 3, (), 2) == (search.found, True)
    assert not hasattr(split, "_Stop")  # no exception carries the stop


def test_search_stops_when_the_node_budget_is_spent() -> None:
    found, within = _search((_num("1" * 60),), 15, (), 10**9)
    assert not within
    assert found  # what was found before the budget ran out is kept
