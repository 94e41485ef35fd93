"""Where each template row's printed cells are, whatever the layout.

Every layout (pipes, markdown, tabs, PDF text, one cell per line, run-together digits) prints the
rows in template order, each label before its numbers. So rows are found by their labels alone,
searched in order, and a row's cells are the text between the start of its label and the start
of the next row's label: numbers a PDF printed in the middle of a wrapped label are inside that
span, and the rest of the label is text that the cell reader ignores. A row's own ordinal
(`2.`, `(2)`) is matched with the next label, so its digit never runs into the row before.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from xxgk.template import Row, Template
from xxgk.transform.cells import MARK_SYMBOLS, WORD_MARK, WORD_MARK_CELL, prose_number

# Between two characters of a label: spaces, line breaks, punctuation, table pipes; never a digit,
# a not-a-number mark (a PDF may wrap a label around its cells: 其政府信 - - - -\n息公开申请) or
# another character.
_GAP = rf"[^\w{MARK_SYMBOLS}]*"
# A line of cells alone, printed between two lines of a wrapped label.
_CELLS_LINE = rf"[ \t]*\n[ \t]*(?:(?:-?\d+(?:\.\d+)?|[{MARK_SYMBOLS}]+)[ \t]*)+(?=\n)"
_HEAD_GAP = f"(?:{_CELLS_LINE})?{_GAP}"
_CELLS_INSIDE = re.compile(_CELLS_LINE)
# Label prefixes this long are unique within a table and rarely broken by a PDF line wrap.
_KEY_CHARS = 8
_HEADING_KEY_CHARS = 7
# A row's label this far after the previous one confirms a table (not prose quoting a label).
_CONFIRM_WINDOW = 2000
_MIN_S3_ROWS = 5


_Span = tuple[int, int]


class TableNotFound(ValueError):
    """The text holds no table of the template: not a report, an older one, or a table missing."""


def _chars_regex(text: str, limit: int) -> str:
    return _GAP.join(re.escape(c) for c in [c for c in text if c.isalnum()][:limit])


def _label_regex(label: str) -> str:
    """A label's first characters, and the rest of it where it is printed whole, so that a
    row's cells start where its label ends (a PDF may wrap a long label around its numbers,
    even within its first characters: 一、本年新收 / 350 19 1 1 10 6 387 / 政府信息公开申请数量)."""
    chars = [re.escape(c) for c in label if c.isalnum()]
    head, tail = _HEAD_GAP.join(chars[:_KEY_CHARS]), _GAP.join(chars[_KEY_CHARS:])
    return f"{head}(?:{_GAP}{tail})?" if tail else head


def _number_regex(number: str) -> str | None:
    if not number.isdigit():
        return None  # 一、 (一): Chinese ordinals are text the cell reader skips anyway
    return rf"(?:\(\s*{number}\s*\)|{number}\s*[.、)])\s*"


@cache
def row_pattern(row: Row) -> re.Pattern[str]:
    labels = "|".join(_label_regex(label) for label in row.labels)
    number = _number_regex(row.number)
    if number is None:
        return re.compile(f"(?:{labels})")
    return re.compile(f"(?:{number}){'' if row.require_number else '?'}(?:{labels})")


@cache
def heading_pattern(heading: str) -> re.Pattern[str]:
    return re.compile(_chars_regex(heading, _HEADING_KEY_CHARS))


@dataclass(frozen=True)
class Segment:
    """A row's cell text (from the end of its label to the next row's label) and its label's
    line up to that point (for reading a delimited row by column)."""

    text: str
    label_line: str
    start: int  # where `text` starts in the normalised report text
    label_end: int  # where the label ends (`start` differs when cells were printed around it)

    def first_line(self) -> Segment:
        """The part of the cell text on the label's own line."""
        return Segment(self.text.split("\n", 1)[0], self.label_line, self.start, self.label_end)


@dataclass(frozen=True)
class Located:
    """The template's rows in one text: each row's Segment, or None where its label is absent."""

    template: Template
    segments: tuple[Segment | None, ...]  # per template row, in template order
    tables_span: tuple[int, int]
    meter: Any = None  # fixed_width.Meter: where a position stands across its line


def _last_before(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    last = None
    for m in pattern.finditer(text, start, end):
        last = m
    return last


def _confirmed(text: str, first: Row, second: Row) -> list[re.Match[str]]:
    """Occurrences of a table's first label that the second label follows closely."""
    follow = row_pattern(second)
    return [m for m in row_pattern(first).finditer(text)
            if follow.search(text, m.end(), m.end() + _CONFIRM_WINDOW)]


# Something a cell prints: a digit or a not-a-number mark.
_VALUE_CHAR = re.compile(rf"[\d{MARK_SYMBOLS}]|{WORD_MARK_CELL}")
_VALUE_RUN = re.compile(rf"\d+(?:\.\d+)?|{_VALUE_CHAR.pattern}")  # a number whole
_MAX_MATCHES = 8  # occurrences of one label a region is searched for
# The heading of a part after the tables, whatever it is titled: 五、 or 六、 before a word.
_NEXT_PART = re.compile(r"[五六七八]、(?=[^\W\d])")


def _greedy(text: str, rows: tuple[Row, ...], start: int, end: int) -> list[_Span | None]:
    """Each row's label, searched in template order from where the previous one ended."""
    spans: list[_Span | None] = []
    pos = start
    for row in rows:
        m = row_pattern(row).search(text, pos, end)
        spans.append(m.span() if m else None)
        if m:
            pos = m.end()
    return spans


def _cells_start(text: str, span: _Span) -> int:
    """Where a row's cells start: after its label, or at a line of them inside it."""
    inside = _CELLS_INSIDE.search(text, *span)
    return inside.start() if inside else span[1]


def _all_printed(text: str, spans: list[_Span | None], end: int) -> bool:
    """Every row found, each with something printed before the next row's label."""
    found = [s for s in spans if s is not None]
    if len(found) < len(spans):
        return False
    starts = [s[0] for s in found[1:]] + [end]
    return all(_VALUE_CHAR.search(text, _cells_start(text, s), b)
               for s, b in zip(found, starts, strict=True))


_Chain = tuple[tuple[int, int], tuple[tuple[int, _Span], ...]]  # (score, the rows it places)


def _aligned(text: str, rows: tuple[Row, ...], start: int, end: int) -> list[_Span | None]:
    """The occurrences of the rows' labels, in order, that give the most rows with something
    printed in their cells (then the most rows): a label quoted in prose around the table (a
    part 二 row the table lacks, named in the text after it) loses to the table's own rows."""
    nodes = [(i, m.span()) for i, r in enumerate(rows)
             for m in itertools.islice(row_pattern(r).finditer(text, start, end), _MAX_MATCHES)]
    best: dict[tuple[int, _Span], _Chain] = {}
    for i, span in reversed(nodes):  # the best chain starting at each occurrence, from the end
        options: list[_Chain] = [((0, 0), ())]
        options += [best[(j, nxt)] for j, nxt in nodes if j > i and nxt[0] >= span[1]]
        (printed, found), chain = max(options, key=lambda o: o[0])
        cut = chain[0][1][0] if chain else end
        own = 1 if _VALUE_CHAR.search(text, _cells_start(text, span), cut) else 0
        best[(i, span)] = ((printed + own, found + 1), ((i, span), *chain))
    spans: list[_Span | None] = [None] * len(rows)
    if best:
        for i, span in max(best.values(), key=lambda o: o[0])[1]:
            spans[i] = span
    return spans


# A run of label text in a gap between two rows.
_LABEL_RUN = re.compile(r"[^\W\d][^\d\n|\t]*")
_MIN_SIMILARITY = 0.8


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _similarity(row: Row, run: str) -> float:
    best = 0.0
    for label in row.labels:
        matcher = difflib.SequenceMatcher(None, _alnum(label), _alnum(run)[: len(label) + 2])
        if matcher.quick_ratio() >= _MIN_SIMILARITY:
            best = max(best, matcher.ratio())
    return best


def _misprinted(text: str, row: Row, start: int, end: int) -> _Span | None:
    """A label printed with a typo (属于行政执法案件 for 案卷, 其他法律行政止公开): the run of label
    text in [start, end) most like one of the row's labels, after the row's own ordinal."""
    ordinal = _number_regex(row.number)
    best: tuple[float, _Span] | None = None
    for m in _LABEL_RUN.finditer(text, start, end):
        begin = m.start()
        if ordinal:
            numbered = re.search(f"(?:{ordinal})$", text[max(start, begin - 8): begin])
            if numbered is None:
                continue
            begin -= len(numbered.group(0))
        score = _similarity(row, m.group(0))
        if score >= _MIN_SIMILARITY and (best is None or score > best[0]):
            best = (score, (begin, m.end()))
    return best[1] if best else None


def _with_misprints(text: str, rows: tuple[Row, ...], spans: list[_Span | None],
                    end: int) -> list[_Span | None]:
    """Rows not found between two found rows, looked for again allowing a typo."""
    out = list(spans)
    for i, span in enumerate(spans):
        before = next((s for s in reversed(out[:i]) if s is not None), None)
        after = next((s for s in out[i + 1:] if s is not None), None)
        if span is None and before is not None:
            out[i] = _misprinted(text, rows[i], before[1], after[0] if after else end)
    return out


def _find_rows(text: str, rows: tuple[Row, ...], start: int, end: int) -> list[_Span | None]:
    spans = _greedy(text, rows, start, end)
    if not _all_printed(text, spans, end):
        spans = _with_misprints(text, rows, _aligned(text, rows, start, end), end)
    return spans


# Where prose takes over from a part's last row: a sentence break after its cells.
_SENTENCE_BREAK = re.compile(r"[，。；]")


def _last_cells_end(text: str, start: int, end: int) -> int:
    """The end of a part's last row: prose may follow its cells before the next part's
    heading (行政事业性收费0 2025年，我局…), so it ends at the first sentence break after them
    — after its first value, not a quantity of prose before the table (四、…情况 2022年，未有…
    行政复议 … 000000000000000)."""
    value = next((m for m in _VALUE_RUN.finditer(text, start, end)
                  if not prose_number(text, *m.span())), None)
    stop = _SENTENCE_BREAK.search(text, value.end(), end) if value else None
    return stop.start() if stop else end




# A line that prints cells only (numbers and not-a-number marks, spaced).
_CELLS_ONLY_LINE = re.compile(
    rf"[ \t]*(?:(?:-?\d+(?:\.\d+)?|[{MARK_SYMBOLS}]+|{WORD_MARK})[ \t]*)+")
# a cell, where 无 may be a wrapped label's (（四）无)
_DIGIT_OR_DASH = re.compile(rf"[\d{MARK_SYMBOLS}]")
_CELL_TOKEN = re.compile(rf"-?\d+(?:\.\d+)?|[{MARK_SYMBOLS}]+|{WORD_MARK}")


def _line_before(text: str, label_start: int, floor: int) -> tuple[int, int] | None:
    """The line before a label's line when it prints cells only, and nothing but label text
    (a vertical group header's character) stands between it and the label."""
    line_start = text.rfind("\n", floor, label_start)
    if line_start < 0 or _DIGIT_OR_DASH.search(text, line_start, label_start):
        return None
    before = text.rfind("\n", floor, line_start) + 1
    if before <= floor or not _CELLS_ONLY_LINE.fullmatch(text, before, line_start):
        return None
    return before, line_start


def _cells_before(text: str, rows: tuple[Row, ...], labels: dict[int, _Span],
                  bounds: dict[int, _Span], floor: int) -> None:
    """PDF text (pdfplumber) may print a row's cells on the line before its label. From the
    last row up, a row with nothing printed after its label takes that line when it holds
    exactly the row's cells, and the row before it still has cells of its own: after its
    label, or on the line before its own label. `labels`, `bounds`: per found row, where its
    label and its cells are (changed in place)."""
    def own_line(j: int) -> _Span | None:
        line = _line_before(text, labels[j][0], floor)
        return line if line and len(_CELL_TOKEN.findall(text, *line)) == len(
            rows[j].cells) else None

    found = sorted(bounds)
    for k in range(len(found) - 1, -1, -1):
        i = found[k]
        if _VALUE_CHAR.search(text, *bounds[i]) or (line := own_line(i)) is None:
            continue
        prev = found[k - 1] if k else None
        if prev is not None:
            if not (_VALUE_CHAR.search(text, bounds[prev][0], line[0]) or own_line(prev)):
                continue
            bounds[prev] = (bounds[prev][0], line[0])
        bounds[i] = (line[0], bounds[i][1])


def _segments(text: str, rows: tuple[Row, ...], spans: list[_Span | None], start: int,
              end: int) -> list[Segment | None]:
    found = [s for s in spans if s is not None]
    if not found:
        return [None] * len(spans)
    ends = iter([s[0] for s in found[1:]] + [_last_cells_end(text, found[-1][1], end)])
    labels = {i: s for i, s in enumerate(spans) if s is not None}
    bounds = {i: (_cells_start(text, s), next(ends)) for i, s in labels.items()}
    _cells_before(text, rows, labels, bounds, start)
    out: list[Segment | None] = [None] * len(spans)
    for i, (a, b) in labels.items():
        cells, nxt = bounds[i]
        # a row's cells printed before its label: the label itself, blanked, stays in between
        body = text[cells:a] + " " * (b - a) + text[b:nxt] if cells < a else text[cells:nxt]
        out[i] = Segment(body, text[text.rfind("\n", 0, a) + 1: b], cells, b)
    return out


def _table_start(text: str, rows: tuple[Row, ...]) -> re.Match[str]:
    """Part 三's first label: its last occurrence (closely followed by the second) after which
    the table's rows are found — the 总体情况 prose may quote the first rows' labels."""
    confirmed = _confirmed(text, rows[0], rows[1])
    if not confirmed:
        raise TableNotFound("no table of requests (三、收到和处理政府信息公开申请情况) found")
    for m in reversed(confirmed[1:]):
        if sum(s is not None for s in _greedy(text, rows, m.start(), len(text))) >= _MIN_S3_ROWS:
            return m
    return confirmed[0]


def _part2_heading(text: str, template: Template, rows: tuple[Row, ...],
                   end: int) -> re.Match[str] | None:
    """Part 二's heading: of its mentions before part 三, the last one that most of the part's
    rows follow (a subheading such as (三)主动公开政府信息的主要形式 may come after the table,
    and prose such as 主动公开政府信息61条 between the heading and the table or after it)."""
    heading = template.sections[template.table_part("proactive")]
    headings = list(heading_pattern(heading).finditer(text, 0, end))
    best, most = (headings[-1] if headings else None), 0
    for h in reversed(headings):  # from the last: the first to find every row is the one
        found = sum(s is not None for s in _greedy(text, rows, h.end(), end))
        if found > most:
            best, most = h, found
        if most == len(rows):
            break
    return best


def locate(text: str, template: Template) -> Located:
    """Find the rows of parts 二, 三 and 四 of `template` in a normalised report text."""
    s2_rows, s3_rows, s4_rows = (template.section_rows(template.table_part(role))
                                 for role in ("proactive", "requests", "appeals"))
    first = _table_start(text, s3_rows)
    s3_start = first.start()
    s4_anchor = row_pattern(s4_rows[0]).search(text, first.end())
    after_s4 = s4_anchor.end() if s4_anchor else first.end()
    ends = [m.start() for key in template.table_end_parts
            if (m := heading_pattern(template.sections[key]).search(text, after_s4))]
    if m := _NEXT_PART.search(text, after_s4):  # a part of the agency's own (五、信息处理费…)
        ends.append(m.start())
    tables_end = min(ends) if ends else len(text)
    s3_end = s4_anchor.start() if s4_anchor else tables_end

    s3_heading = _last_before(heading_pattern(template.sections[template.table_part("requests")]),
                              text, 0, s3_start)
    s2_end = s3_heading.start() if s3_heading else s3_start
    s2_heading = _part2_heading(text, template, s2_rows, s2_end)
    s2_start = s2_heading.end() if s2_heading else max(0, s2_end - _CONFIRM_WINDOW)

    s2_spans = _find_rows(text, s2_rows, s2_start, s2_end)
    s3_spans = _find_rows(text, s3_rows, s3_start, s3_end)
    found_s3 = sum(s is not None for s in s3_spans)
    if found_s3 < _MIN_S3_ROWS:
        raise TableNotFound(f"table 三 incomplete: {found_s3} of {len(s3_rows)} row labels found")
    s4_spans = [s4_anchor.span() if s4_anchor else None]
    segments = (
        _segments(text, s2_rows, s2_spans, s2_start, s2_end)
        + _segments(text, s3_rows, s3_spans, s3_heading.end() if s3_heading else s2_end, s3_end)
        + _segments(text, s4_rows, s4_spans, s3_end, tables_end)
    )
    tables_start = s2_heading.start() if s2_heading else s3_start
    return Located(template, tuple(segments), (tables_start, tables_end))
