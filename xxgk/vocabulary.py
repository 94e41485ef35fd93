"""The words the stages and the warehouse share: report statuses and flag kinds, each said once.

The warehouse builds its reference tables `statuses` and `flag_kinds` from these, and views
join them instead of repeating the words; the conflict rule ranks statuses by `rank` here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatusWord:
    status: str
    rank: int | None
    """Conflict rule: the lower rank is kept; None: the status never makes a report."""
    meaning: str


STATUSES: tuple[StatusWord, ...] = (
    StatusWord("ok", 0, "read, and every identity holds"),
    StatusWord("checks_failed", 1, "read; the printed numbers break an identity (kept as printed)"),
    StatusWord("incomplete", 2, "read, but whole rows or a part of the tables are not in the "
                                "text (a file cut short): the cells found are kept"),
    StatusWord("unsupported", 3, "a report before the first national template: prose only"),
    StatusWord("error", None, "not read as a report (the reason is in error)"),
)

STATUS_RANK: dict[str, int] = {s.status: s.rank for s in STATUSES if s.rank is not None}
"""Statuses that make a report, best first."""


def claim_order(status: str, flagged: int, path: str) -> tuple[int, int, str]:
    """The conflict rule: of the files claiming one (agency, year) the first by this key is
    kept. xxgk.load.conflicts.CLAIMANTS sorts by the same key in SQL (statuses.rank)."""
    return (STATUS_RANK[status], flagged, path)


@dataclass(frozen=True, slots=True)
class FlagKind:
    kind: str
    descriptive: bool
    """True: says how a cell was printed; False: the reading is in doubt (a flagged cell)."""
    meaning: str


FLAG_KINDS: tuple[FlagKind, ...] = (
    FlagKind("blank", True, "the cell is printed empty, or its row not at all: no number"),
    FlagKind("not_a_number", True, "the cell prints a mark such as / - 无: no number"),
    FlagKind("ambiguous_split", False, "digits run together allow several readings: value NULL"),
    FlagKind("unreadable", False, "the printed numbers cannot be the row's cells: value NULL"),
    FlagKind("row_not_found", False, "the row's label is not in the table: value NULL"),
    FlagKind("unassigned_numbers", False,
             "the row's text prints a number none of its cells holds: value NULL"),
    FlagKind("negative_unsigned", False,
             "a negative number where the template allows none (a count): value NULL, "
             "the printed text in raw"),
    FlagKind("split_by_identity", False,
             "the text allowed other readings; the report's identities chose this value"),
    FlagKind("missing_cell", False, "the parser returned no fact for this template cell"),
)

DESCRIPTIVE_FLAGS: tuple[str, ...] = tuple(f.kind for f in FLAG_KINDS if f.descriptive)
MISSING_CELL_FLAG = "missing_cell"
"""Flag of a template cell the parser returned no fact for: the row exists, value NULL."""


def flag_kind(flag: str) -> str:
    """A flag's kind: the word before its reason (`ambiguous_split: 3 readings` -> kind)."""
    return flag.split(":", 1)[0]
