"""The coverage self-check: every number printed in a row's text belongs to one of its cells.

A reading that leaves printed numbers unexplained is not a reading: a number the cells do not
account for (a value a converter moved, a cell split over lines, a label's digits read as
text) means the row was not read as printed, so its cells are flagged instead of kept.
Quantities of prose (2025年, 61条, 15.4%) are not cells and are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xxgk.transform.cells import PROSE_QUANTITY
from xxgk.transform.locate import Segment

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?")
UNASSIGNED = "unassigned_numbers"


def unassigned(segment: Segment | None, numbers_read: int,
               spans: Callable[[], list[tuple[int, int] | None]]) -> list[str]:
    """The numbers printed in a row's text that none of its cells' spans holds; `numbers_read`:
    how many the cell reader took (when the text prints as many, every one is a cell's);
    `spans`: where the cells were read (asked only when the counts differ)."""
    if segment is None:
        return []
    printed = [m for m in _NUMBER.finditer(segment.text)
               if not PROSE_QUANTITY.match(segment.text, m.end())]
    if len(printed) == numbers_read:
        return []
    out, where = [], spans()
    for m in printed:
        at = segment.start + m.start()
        if not any(s and s[0] <= at < s[1] for s in where):
            out.append(m.group(0))
    return out


def unexplained(numbers: list[str]) -> str:
    """Why a row is not read: its text prints numbers that none of its cells can hold."""
    return f"{UNASSIGNED}: the row's text also prints {', '.join(numbers)}, which no cell holds"
