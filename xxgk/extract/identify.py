"""Which agency and which year a report belongs to, and where that was read.

Sources in order of trust: a crawler's metadata header (标题: / 发布机构: lines), the report's
title line, the file name, the first sentence of the body. The publication date in a header is
not the report's year (a 2019 report is published in 2020), so it is never used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

_HEADER_LINE = re.compile(
    r"^[ \t]*(标题|发布机构|发布单位|发文机关|来源单位)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
_AGENCY_HEADERS = ("发布机构", "发布单位", "发文机关", "来源单位")
_DISCLOSURE = r"(?:(?:政府|政务)?信息公开|政务公开)(?:工作)?"
_REPORT_WORDS = rf"{_DISCLOSURE}(?:年度)?(?:报告|年报)"
_YEAR = r"((?:19|20)\d\d)[ \t]*年度?"
_NAME = r"([^\s\d:,，。;]{2,60}?)"
# "<agency><year>年(度)政府信息公开工作年度报告", "<year>年(度)<agency>政府信息公开…",
# "<agency>政府信息公开工作<year>年度报告"
_TITLE_AGENCY_FIRST = re.compile(rf"{_NAME}[ \t]*{_YEAR}[ \t]*{_REPORT_WORDS}")
_TITLE_YEAR_FIRST = re.compile(rf"{_YEAR}[ \t]*{_NAME}[ \t]*{_REPORT_WORDS}")
_TITLE_YEAR_LATE = re.compile(rf"{_NAME}[ \t]*{_DISCLOSURE}[ \t]*{_YEAR}[ \t]*(?:报告|年报)")
_TITLE_YEAR_ONLY = re.compile(rf"^[ \t]*{_YEAR}[ \t]*{_REPORT_WORDS}", re.M)
# The seed's opening: "2023年,沿海工业城发展服务中心政务信息公开工作在……"
_BODY_SENTENCE = re.compile(
    rf"{_YEAR}[ \t]*[,，]?[ \t]*([^\s\d,，。;:、]{{2,40}}?)(?:政务|政府)?信息公开工作"
)
# A year in a file name is a token of its own (seed_2023, 淮安市人民政府_2024), not part of an
# identifier (r2022, t20200120_80576).
_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?![0-9A-Za-z])")
_AGENCY_NOISE = re.compile(r"^(?:关于|本|我)|[《》\"“”]|^(?:人民)?政[府务]$")
_AGENCY_FRAME = " \t-_|·:《“\""  # quoting around a title: 《…2022年…年度报告》
_TITLE_SCAN_CHARS = 1500
# Titles and the opening sentence end in 信息公开… or 政务公开…: the patterns run on the text
# around each mention of it (the whole body of a crawled page can be one line).
_ANCHOR = re.compile(r"信息公开|政务公开")
_WINDOW_BEFORE, _WINDOW_AFTER = 90, 16
_MIN_YEAR, _MAX_YEAR = 1990, 2100
# The signature: an agency, then the date it signed on, at the very end of a report.
_SIGNATURE = re.compile(r"([^\s\d:,，。;；、()（）]{2,40}?)[ \t]*(?:19|20)\d\d[ \t]*年"
                        r"[ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*日")
_SIGNATURE_CHARS = 300
_TITLE_LINES, _TITLE_LINE_CHARS = 4, 40  # a title wrapped over at most 4 short lines
_LONE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?![\d年])")
_TITLE_NO_YEAR = re.compile(rf"^{_NAME}[ \t]*年度?[ \t]*{_DISCLOSURE}")


@dataclass(frozen=True)
class Identity:
    agency: str | None
    agency_source: str | None
    year: int | None
    year_source: str | None


def _year(text: str) -> int | None:
    year = int(text)
    return year if _MIN_YEAR <= year <= _MAX_YEAR else None


def _agency(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(_AGENCY_FRAME)
    text = text[:text.find("关于")] if text.find("关于") > 0 else text  # X关于报送…的函
    text = text.strip(_AGENCY_FRAME)
    return None if not text or _AGENCY_NOISE.search(text) else text


def _quoted(text: str, at: int, end: int) -> bool:
    """Whether a title found at [at, end) of `text` is part of a quoted document's name that
    goes on after it (《…关于编制公布2021年政府信息公开工作年度报告有关事项的通知》): another
    document, not the report (《青山县…2022年政府信息公开工作年度报告》 is the report's)."""
    start = max(0, at - _QUOTE_CHARS)
    return text.rfind("《", start, at) > text.rfind("》", start, at) and (
        not text.startswith("》", end))


_QUOTE_CHARS = 200  # how far back a quotation's opening is looked for


def _mid_sentence(text: str, at: int) -> bool:
    """Whether a title candidate starting at `at` follows a comma: a clause of a sentence
    (结合我局实际，编制完成2021年度…年度报告), not a title."""
    return at > 0 and text[at - 1] in "，,；;"


def _windows(text: str) -> list[tuple[int, str]]:
    """The text around each mention of 信息公开, in order, with where it starts."""
    return [(max(0, m.start() - _WINDOW_BEFORE),
             text[max(0, m.start() - _WINDOW_BEFORE): m.start() + _WINDOW_AFTER])
            for m in _ANCHOR.finditer(text)]


def _from_title(text: str) -> tuple[str | None, int | None]:
    """Agency and year from a title such as 淮安市人民政府2024年政府信息公开工作年度报告, also
    when a PDF splits it after the agency (淮安市人民政府 / 2024 年政府信息公开工作年度报告)."""
    for offset, window in _windows(text):
        for pattern, agency_group, year_group in (
            (_TITLE_AGENCY_FIRST, 1, 2),
            (_TITLE_YEAR_FIRST, 2, 1),
            (_TITLE_YEAR_LATE, 1, 2),
        ):
            m = pattern.search(window)
            if (m and not _quoted(text, offset + m.start(year_group), offset + m.end())
                    and not _mid_sentence(text, offset + m.start(agency_group))
                    and _agency(m.group(agency_group))):
                return _agency(m.group(agency_group)), _year(m.group(year_group))
        m = _TITLE_YEAR_ONLY.search(window)
        if m:
            before = window[: m.start()].rstrip().rsplit("\n", 1)[-1]
            return _agency(before), _year(m.group(1))
    return None, None


def _from_signature(text: str) -> str | None:
    """The agency signing the report: the last `<agency> <date>` line of its end."""
    signed = list(_SIGNATURE.finditer(text, max(0, len(text) - _SIGNATURE_CHARS)))
    return _agency(signed[-1].group(1)) if signed else None


def identify(text: str, path: str) -> Identity:
    """Agency and year of a normalised report text, each with the source it was read from.

    The agency a report is about is read first from its title (the crawler's 标题 line, then
    the title line of the text, also wrapped over lines), then from the signature before the
    date at its end, then from a publisher field (发布机构, which web systems fill with an
    office, an uploader or a parent body), then from its opening sentence."""
    agency = year = None
    agency_source = year_source = None

    def take(a: str | None, y: int | None, source: str) -> None:
        nonlocal agency, year, agency_source, year_source
        if agency is None and a:
            agency, agency_source = a, source
        if year is None and y:
            year, year_source = y, source

    head = text[:_TITLE_SCAN_CHARS]
    header = dict(m.groups() for m in _HEADER_LINE.finditer(head))
    if header.get("标题"):
        take(*_from_title(header["标题"]), "header")
    if agency is None or year is None:
        take(*_from_title(_HEADER_LINE.sub("", head)), "title")
    if agency is None or year is None:
        take(*_from_title(block := _title_block(_HEADER_LINE.sub("", head))), "title")
        take(*_year_apart(block), "title")
    take(_from_signature(text), None, "signature")
    take(next(filter(None, (_agency(header.get(h)) for h in _AGENCY_HEADERS)), None),
         None, "header")
    m = _FILE_YEAR.search(PurePath(path).stem)
    take(None, _year(m.group(1)) if m else None, "file_name")
    if agency is None or year is None:
        for _, window in _windows(text[: _TITLE_SCAN_CHARS * 2]):
            if m := _BODY_SENTENCE.search(window):
                take(_agency(m.group(2)), _year(m.group(1)), "body")
                break
    return Identity(agency, agency_source, year, year_source)


def _year_apart(block: str) -> tuple[str | None, int | None]:
    """A PDF title whose year was set apart from the words (望海县交通运输局 年度政府信息公开
    工作年度 / 2019 / 报告): the year anywhere in the title's lines, the agency before
    年度…信息公开."""
    years = _LONE_YEAR.findall(block)
    m = _TITLE_NO_YEAR.search(_LONE_YEAR.sub("", block)) if len(years) == 1 else None
    return (_agency(m.group(1)), _year(years[0])) if m else (None, None)


def _title_block(text: str) -> str:
    """The short lines a text opens with, joined: a PDF wraps a long title anywhere
    (淮安市人民 / 政府2024年政府信息公开 / 工作年度报告)."""
    lines = []
    for line in text.lstrip().split("\n")[:_TITLE_LINES]:
        if len(line.strip()) > _TITLE_LINE_CHARS:
            break
        lines.append(line.strip())
    return "".join(lines)
