"""Where a character of the normalised text stood in the decoded text.

Normalising changes lengths (markup dropped, `&nbsp;` unescaped, CRLF folded, page footers
removed), so a cell found in the normalised text is traced back to the decoded text through
the edits each step made. Only edits that change a length are recorded: a step that maps one
character to one character (full-width digits) moves nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

Edit = tuple[int, int, int, int]  # (start, end) in the new text, (start, end) in the old one


@dataclass
class Step:
    """The length-changing edits one substitution made, in text order."""

    edits: list[Edit]
    new_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.new_starts = [e[0] for e in self.edits]

    def back(self, pos: int) -> int:
        """The old position of new position `pos` (inside a replacement: where it started)."""
        i = bisect.bisect_right(self.new_starts, pos) - 1
        if i < 0:
            return pos
        _, new_end, old_start, old_end = self.edits[i]
        return old_start if pos < new_end else old_end + (pos - new_end)


@dataclass
class Tracked:
    """A text being normalised, with the steps that lead back to where it started."""

    text: str
    steps: list[Step] = field(default_factory=list)

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> None:
        """`pattern.sub(repl, text)`, recording where lengths change."""
        pieces: list[str] = []
        edits: list[Edit] = []
        last = new_len = 0
        literal = None if callable(repl) or "\\" in repl else repl  # no group to expand
        for m in pattern.finditer(self.text):
            new = literal if literal is not None else (
                repl(m) if callable(repl) else m.expand(repl))
            pieces.append(self.text[last:m.start()])
            new_len += m.start() - last
            if len(new) != m.end() - m.start():
                edits.append((new_len, new_len + len(new), m.start(), m.end()))
            pieces.append(new)
            new_len += len(new)
            last = m.end()
        if last == 0 and not pieces:
            return
        pieces.append(self.text[last:])
        self.text = "".join(pieces)
        if edits:
            self.steps.append(Step(edits))

    def back(self, pos: int) -> int:
        """Where position `pos` of the current text stood in the original."""
        for step in reversed(self.steps):
            pos = step.back(pos)
        return pos
