"""Reading a row's printed cells: numbers, not-a-number marks, and blank cells where delimiters
keep their place; label text, ordinals of group labels and header padding are not cells."""

from __future__ import annotations

import pytest

from xxgk.transform.cells import tokens
from xxgk.transform.split import split_row


def read(text: str, n: int) -> list[list]:
    return [[c[1] for c in cand] for cand in split_row(tuple(tokens(text)), n, ()).candidates]


@pytest.mark.parametrize(
    ("text", "n", "cells"),
    [
        (" 3001 53 0 0 61 4 3119\n", 7, [3001, 53, 0, 0, 61, 4, 3119]),
        ("部分公开(区分处理的,只计这一情\n447 7 0 0 0 0 454\n形,不计其他情形)\n", 7,
         [447, 7, 0, 0, 0, 0, 454]),
        (" 105 0 0 0 0 0 105\n(四)无 ", 7, [105, 0, 0, 0, 0, 0, 105]),  # 无 of 无法提供
        (" | 0 | 0 | 0 | 0 | 0 | 0 |\n0 | |\n", 7, [0] * 7),  # last cell wrapped
        ("| 0 | / | — | 无 | - |", 5, [0, None, None, None, None]),
        ("| 0 |  | 3 |", 3, [0, None, 3]),
        ("| 0 | 3 |  |", 3, [0, 3, None]),  # blank last cell before the closing pipe
        ("\t0\t\t3", 3, [0, None, 3]),
        (",0,,3", 3, [0, None, 3]),
        (" | | ||", 1, [None]),
        (" 96171.6\n", 1, [96171.6]),
        (" 3,001 53 0 0 61 4 3,119\n", 7, [3001, 53, 0, 0, 61, 4, 3119]),  # thousands
        (" -5 0 12", 3, [-5, 0, 12]),
        (" 251000元 ", 1, [251000]),
        ("\n0\n0\n12\n", 3, [0, 0, 12]),
        (" 0 | 0 | 0 | |\n第二十条第(五)项 | |||\n信息内容 | 本年处理决定数量 | ||\n", 3,
         [0, 0, 0]),
    ],
)
def test_cells(text: str, n: int, cells: list) -> None:
    assert read(text, n) == [cells]


def test_header_padding_is_not_a_blank_cell() -> None:
    assert read(" 0 | 0 |\n第二十条第(五)项 | |||\n", 3) == []


def test_a_printed_unit_is_kept() -> None:
    (cand,) = split_row(tuple(tokens(" 251000元")), 1, ()).candidates
    assert cand[0] == ("251000", 251000, "元")
