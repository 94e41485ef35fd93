"""The sign a cell may carry: a negative number only where the template marks the cell `signed`
(本年增/减). Anywhere else (a count of requests, items, cases) a printed negative is no value
the cell can hold, so the text does not determine the cell: its value is None, flagged
`negative_unsigned`, the printed text kept in `raw`.

Not kept as printed, because -3 requests cannot be; not read as 3 either, because the minus may
be a mistyped value, a no-number mark (`-`) run into the next cell, or a wrapped line's hyphen,
and choosing would guess. The checks keep the printed numbers: they test the arithmetic the
report prints, and a report whose arithmetic holds only with the negative says so there.
"""

from __future__ import annotations

from xxgk.model import Fact
from xxgk.template import Template

NEGATIVE_UNSIGNED = "negative_unsigned"


def unsigned_negatives(facts: list[Fact], template: Template) -> list[Fact]:
    """The facts with a negative value in a cell the template does not mark signed made
    undetermined (value None, flag `negative_unsigned: …`, raw as printed)."""
    for f in facts:
        if f.value is not None and f.value < 0 and not template.is_signed(f.code):
            f.flag = (f"{NEGATIVE_UNSIGNED}: printed {f.raw!r}, the template allows no "
                      "negative number in this cell")
            f.value = None
    return facts
