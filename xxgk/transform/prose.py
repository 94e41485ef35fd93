"""The prose parts of a report, kept as text for the warehouse: 总体情况, 存在的主要问题及改进情况,
其他需要报告的事项. Headings come from the template; their ordinals (一、 五、 六、) tell a heading
from a mention of it in the introduction."""

from __future__ import annotations

import re
from functools import cache

from xxgk.template import Template

PROSE_SECTIONS = {"一": "overview", "五": "problems", "六": "other"}
_HEADING_CHARS = 6
_NEXT_ORDINAL = re.compile(r"\s*[二三四五六][、.]?\s*$")  # the next heading's 二、 left at the end


@cache
def _heading(ordinal: str, heading: str) -> re.Pattern[str]:
    """`五、存在的主要问题及改进情况`, also with words before the heading's own
    (`五、政府信息公开工作存在的主要问题…`) or its tail worded differently."""
    chars = [re.escape(c) for c in heading if c.isalnum()]
    key, tail = r"\W*".join(chars[:_HEADING_CHARS]), r"\W*".join(chars[_HEADING_CHARS:])
    return re.compile(rf"{ordinal}[ \t]*[、.]?[ \t]*[^\W\d]{{0,12}}?{key}(?:\W*{tail})?")


def prose(text: str, template: Template, tables_span: tuple[int, int]) -> dict[str, str]:
    """Each prose part's text (without its heading); parts a report lacks are left out."""
    out = {}
    for ordinal, name in PROSE_SECTIONS.items():
        m = _heading(ordinal, template.sections[ordinal]).search(text)
        if not m:
            continue
        start = m.end()
        later = [tables_span[0]] if start < tables_span[0] else []
        later += [n.start() for o in PROSE_SECTIONS if o > ordinal
                  if (n := _heading(o, template.sections[o]).search(text, start))]
        body = _NEXT_ORDINAL.sub("", text[start:min(later, default=len(text))]).strip()
        if body:
            out[name] = body
    return out
