"""The prose parts of a report, kept as text for the warehouse: 总体情况, 存在的主要问题及改进情况,
其他需要报告的事项. Headings come from the template; their ordinals (一、 五、 六、) tell a heading
from a mention of it in the introduction."""

from __future__ import annotations

import re
from functools import cache

from xxgk.template import Template

PROSE_SECTIONS = {"一": "overview", "五": "problems", "六": "other"}
_HEADING_CHARS = 6


@cache
def _heading(ordinal: str, heading: str) -> re.Pattern[str]:
    chars = r"\W*".join(re.escape(c) for c in [c for c in heading if c.isalnum()][:_HEADING_CHARS])
    return re.compile(rf"(?:^|\n|\s)[ \t]*{ordinal}[ \t]*[、.,]?[ \t]*{chars}[^\n]*")


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
        body = text[start:min(later, default=len(text))].strip()
        if body:
            out[name] = body
    return out
