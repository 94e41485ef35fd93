"""Printed forms the generator derives from the template data (xxgk/template/*.toml): full-width
variants, and the ordinals of the part 三 groups (derived from the rows' own numbering, since the
TOML gives a row's parent but not the parent's ordinal). Labels, codes, identities, header texts,
signed cells and cross-year rules are read from `xxgk.template`.
"""

from __future__ import annotations

from functools import cache

from xxgk.template import load

CN_NUMERALS = "一二三四五六七八九十"
_FULLWIDTH_PUNCT = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})
_FULLWIDTH_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
_ASCII_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})


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
    tpl = load(version)
    for row in tpl.section_rows(tpl.table_part("requests")):
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
