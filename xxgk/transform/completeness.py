"""Is a read report whole? A file cut short (a broken download, a PDF converted half-way)
still yields a table, with the rows it lost flagged `row_not_found`; such a report must not
pass as `ok` nor win its (agency, year) against the complete file.

Measured (issue 10): every complete report read has no `row_not_found` cell at all (91 real
reports of the shared corpus, 400 generated ones); generated reports cut at 50-80 % of their
bytes lose 10-150 cells, at least most of part 四 (15 cells) or a tenth of the template. The
thresholds sit between: a lost label or two of a reworded real report stays `ok`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xxgk.model import Fact
from xxgk.vocabulary import flag_kind

ROW_NOT_FOUND = "row_not_found"
MAX_LOST_SHARE = 0.10
"""A report is incomplete when this share of its template's cells or more are not in the text…"""
MAX_LOST_IN_PART = 0.5
"""…or when more than this share of one part's (二, 三, 四) cells are."""


def _part(fact: Fact) -> str:
    return fact.code.split(".", 1)[0]


def lost_rows(facts: Sequence[Fact]) -> str | None:
    """Why the report is incomplete (cells whose row is not in the text), or None."""
    cells, lost = Counter(map(_part, facts)), Counter(
        _part(f) for f in facts if f.flag and flag_kind(f.flag) == ROW_NOT_FOUND)
    total = sum(lost.values())
    parts = [p for p in sorted(lost) if lost[p] > MAX_LOST_IN_PART * cells[p]]
    if not facts or (total < MAX_LOST_SHARE * len(facts) and not parts):
        return None
    by_part = ", ".join(f"{p}: {lost[p]} of {cells[p]}" for p in sorted(lost))
    return f"incomplete: {total} of {len(facts)} cells have no row in the text ({by_part})"
