"""The prose parts of a report, kept as text for the warehouse: 总体情况, 存在的主要问题及改进情况,
其他需要报告的事项. Headings and keys come from the template's parts (common.toml); their ordinals
(一、 五、 六、) tell a heading from a mention of it in the introduction."""

from __future__ import annotations

import re
from functools import cache

from xxgk.template import Template

_HEADING_CHARS = 6


@cache
def _heading(ordinal: str, heading: str) -> re.Pattern[str]:
    """`五、存在的主要问题及改进情况`, also with words before the heading's own
    (`五、政府信息公开工作存在的主要问题…`) or its tail worded differently."""
    chars = [re.escape(c) for c in heading if c.isalnum()]
    key, tail = r"\W*".join(chars[:_HEADING_CHARS]), r"\W*".join(chars[_HEADING_CHARS:])
    return re.compile(rf"{ordinal}[ \t]*[、.]?[ \t]*[^\W\d]{{0,12}}?{key}(?:\W*{tail})?")


@cache
def _next_ordinal(ordinals: str) -> re.Pattern[str]:
    """The next heading's ordinal (二、) left at the end of a part's text."""
    return re.compile(rf"\s*[{ordinals}][、.]?\s*$")


def prose(text: str, template: Template, tables_span: tuple[int, int]) -> dict[str, str]:
    """Each prose part's text (without its heading); parts a report lacks are left out."""
    out = {}
    ordinals = list(template.sections)
    next_ordinal = _next_ordinal("".join(ordinals[1:]))
    for ordinal, name in template.prose_parts.items():
        m = _heading(ordinal, template.sections[ordinal]).search(text)
        if not m:
            continue
        start = m.end()
        later = [tables_span[0]] if start < tables_span[0] else []
        later += [n.start() for o in template.prose_parts
                  if ordinals.index(o) > ordinals.index(ordinal)
                  if (n := _heading(o, template.sections[o]).search(text, start))]
        body = next_ordinal.sub("", text[start:min(later, default=len(text))]).strip()
        if body:
            out[name] = body
    return out
