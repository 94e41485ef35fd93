"""What the generator needs to print that the template data (xxgk/template/*.toml) does not carry.

Everything here is a candidate for the TOML: the few fixed header texts of the national tables,
which cells may be negative, the cross-year rules (X1, X2), and the printed ordinals of the
part 三 groups (derived here from the rows' own numbering, since the TOML gives a row's parent
but not the parent's ordinal). Labels, codes and identities are read from `xxgk.template`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache

from xxgk.template import Cell, load

REPORT_TITLE = "政府信息公开工作年度报告"
S2_ITEM_HEADER = "信息内容"
S3_RULE_NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
S3_APPLICANT_HEADER = "申请人情况"
S3_LEGAL_PERSONS = "法人或其他组织"
"""Printed over every applicant column but the first (自然人) and the last (总计)."""

SIGNED_CODES = ("*.items_change",)
"""fnmatch patterns of the codes whose value may be negative (2019 本年增/减)."""


@dataclass(frozen=True)
class CrossYear:
    """this year's `target` = last year's `source` + this year's `plus` − this year's `minus`."""

    rule: str
    target: str
    source: str
    plus: str | None = None
    minus: str | None = None


CROSS_YEAR = (
    CrossYear("X1", "s3.carried_over", "s3.carried_forward"),
    CrossYear("X2", "s2.regulation.in_force", "s2.regulation.in_force",
              "s2.regulation.issued", "s2.regulation.repealed"),
    CrossYear("X2", "s2.normative_doc.in_force", "s2.normative_doc.in_force",
              "s2.normative_doc.issued", "s2.normative_doc.repealed"),
)

CN_NUMERALS = "一二三四五六七八九十"
_FULLWIDTH_PUNCT = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})
_FULLWIDTH_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
_ASCII_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})


def is_signed(cell: Cell) -> bool:
    return any(fnmatch.fnmatchcase(cell.code, p) for p in SIGNED_CODES)


def fullwidth_punct(text: str) -> str:
    return text.translate(_FULLWIDTH_PUNCT)


def fullwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)


def ascii_digits(text: str) -> str:
    return text.translate(_ASCII_DIGITS)


# ---- numbering of part 三 ----------------------------------------------------------------------
# Printed ordinals have three levels: 一 (一、), (一) and 1 (1. / 1、 / (1)).

Ordinal = tuple[int, int]
"""(level 1..3, index from 1)."""


def parse_ordinal(number: str) -> Ordinal:
    """The TOML's `number` ("一", "(一)", "1") as (level, index)."""
    if number.startswith("("):
        return 2, CN_NUMERALS.index(number.strip("()")) + 1
    if number.isdigit():
        return 3, int(number)
    return 1, CN_NUMERALS.index(number) + 1


def ordinal_text(ordinal: Ordinal, level3: str) -> str:
    """Half-width printing; level3 is a format such as "{}." / "{}、" / "({})"."""
    level, index = ordinal
    if level == 1:
        return CN_NUMERALS[index - 1] + "、"
    if level == 2:
        return f"({CN_NUMERALS[index - 1]})"
    return level3.format(index)


@cache
def s3_paths(version: str) -> dict[str, tuple[tuple[Ordinal, str], ...]]:
    """Each part 三 row's printed path: its groups' (ordinal, label) outer to inner, then its own.

    A group opens when a row names a parent that is not open at the level above it; the group
    takes the next ordinal of that level (so 本年度办理结果 gets 三, 不予公开 gets (三)). A row
    closes every open group at its own level or deeper.
    """
    open_groups: dict[int, tuple[Ordinal, str]] = {}
    last: dict[int, int] = {}
    paths: dict[str, tuple[tuple[Ordinal, str], ...]] = {}
    for row in load(version).section_rows("三"):
        level, index = parse_ordinal(row.number)
        parent_level = level - 1
        if row.parent and open_groups.get(parent_level, (None, None))[1] != row.parent:
            group = (parent_level, last.get(parent_level, 0) + 1)
            open_groups = {lv: g for lv, g in open_groups.items() if lv < parent_level}
            last = {lv: i for lv, i in last.items() if lv <= parent_level}
            open_groups[parent_level] = (group, row.parent)
            last[parent_level] = group[1]
        open_groups = {lv: g for lv, g in open_groups.items() if lv < level}
        last = {lv: i for lv, i in last.items() if lv <= level}
        last[level] = index
        outer = tuple(open_groups[lv] for lv in sorted(open_groups))
        paths[row.code or ""] = (*outer, ((level, index), row.label))
    return paths
