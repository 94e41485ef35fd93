"""Cutting run-together digits into cells with the row's own identities (examples from real
reports) and storing, not guessing, what more than one cut fits."""

from __future__ import annotations

from xxgk.transform.cells import tokens
from xxgk.transform.split import fixed_cells, split_row

I3 = (((6,), (0, 1, 2, 3, 4, 5)),)  # 总计 = the six applicant columns
I4 = tuple(((4 + g,), tuple(range(g, g + 4))) for g in (0, 5, 10))


def values(text: str, n: int, constraints=()) -> list[tuple]:
    split = split_row(tuple(tokens(text)), n, constraints)
    return [tuple(c[1] for c in cand) for cand in split.candidates]


def test_a_space_is_always_a_cell_boundary() -> None:
    assert values("230 000023", 7, I3) == [(23, 0, 0, 0, 0, 0, 23)]
    assert values("0 0 0 0 0 00", 7, I3) == [(0,) * 7]


def test_the_total_decides_the_cut() -> None:
    assert values("220000325", 7, I3) == [(2, 20, 0, 0, 0, 3, 25), (22, 0, 0, 0, 0, 3, 25)]
    assert values("15130000154", 7, I3) == [(151, 3, 0, 0, 0, 0, 154)]


def test_part_four_is_cut_group_by_group() -> None:
    assert values("10203120001200000", 15, I4) == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]


def test_several_cuts_are_all_kept_for_the_table_to_decide() -> None:
    cands = values("693665", 3)
    assert (69, 3, 665) in cands and len(cands) > 1


def test_no_cut_fits_the_identity_but_the_printed_reading_is_unique() -> None:
    split = split_row(tuple(tokens("5 1 0 0 0 0 7")), 7, I3)
    assert not split.satisfied and len(split.candidates) == 1


def test_decimals_units_negatives_and_marks() -> None:
    split = split_row(tuple(tokens("13575394432.52元")), 2, ())
    assert all(c[1][2] == "元" for c in split.candidates)
    assert (135, 75394432.52) in [tuple(x[1] for x in c) for c in split.candidates]
    assert values("396 -5 181", 3) == [(396, -5, 181)]
    assert values("| 3 | / | — | | 3 |", 5) == [(3, None, None, None, 3)]


def test_too_many_numbers_is_a_reason_not_a_guess() -> None:
    split = split_row(tuple(tokens("1 2 3 4")), 3, ())
    assert not split.candidates and "4 numbers" in split.problem


def test_cells_every_reading_shares_are_known_without_listing_the_readings() -> None:
    # 20 digits into 15 cells: too many readings to list, but a leading 0 is always a 0
    assert fixed_cells(tuple(tokens("0001010591593410 012")), 15)[:3] == (
        (0, ("0", 0, None)), (1, ("0", 0, None)), (2, ("0", 0, None)))
    assert fixed_cells(tuple(tokens("693665")), 3) == ()
