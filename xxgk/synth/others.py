"""Inputs that are not template reports: pre-2019 reports and not-a-report files.

Before 2019 there was no common template: prose under local headings and a local statistics
table (指标名称 / 计量单位 / 本年度 ...). A parser should call these "unsupported". The
not-a-report kinds (empty, binary, unrelated text, a report with its tables missing) are for
error tests.
"""

from __future__ import annotations

import random

from xxgk.synth import text as txt
from xxgk.synth.forms import CN_NUMERALS
from xxgk.synth.layouts import LAYOUTS, Context, Part
from xxgk.synth.report import SyntheticReport, file_name
from xxgk.synth.tables import Block, HeaderCell, TableRow

INVALID_KINDS = ("empty", "binary", "unrelated", "no_tables")

_OLD_SECTIONS = (
    ("概述", "{year}年，{we}认真贯彻落实《中华人民共和国政府信息公开条例》，进一步健全工作机制，"
             "推进政府信息公开工作。"),
    ("主动公开政府信息情况", "全年主动公开政府信息{n}条，主要通过政府网站、政府公报等渠道公开。"),
    ("依申请公开政府信息情况", "全年共受理政府信息公开申请{k}件，均已按时答复。"),
    ("政府信息公开的收费及减免情况", "本年度未收取政府信息公开相关费用。"),
    ("因政府信息公开申请行政复议、提起行政诉讼的情况",
     "本年度未发生因政府信息公开申请提起行政复议、行政诉讼的情况。"),
    ("政府信息公开工作存在的主要问题及改进情况",
     "工作中还存在公开内容不够丰富等问题，{we}将进一步加以改进。"),
    ("其他需要报告的事项", "无其他需要报告的事项。"),
)
_OLD_TITLES = ("政府信息公开情况统计表", "政府信息公开工作情况统计表")
_OLD_ROWS = (
    ("主动公开政府信息数", "条"), ("其中：政府网站公开数", "条"), ("政府公报公开数", "条"),
    ("受理政府信息公开申请数", "件"), ("其中：当面申请数", "件"), ("网上申请数", "件"),
    ("信函、传真申请数", "件"), ("对申请的答复总数", "件"), ("其中：同意公开答复数", "件"),
    ("同意部分公开答复数", "件"), ("不予公开答复数", "件"),
    ("政府信息公开收费减免金额", "元"), ("因政府信息公开申请提起行政复议数", "件"),
    ("因政府信息公开申请提起行政诉讼数", "件"),
)
_UNRELATED = (
    "关于做好{year}年度安全生产检查工作的通知\n各科室、各下属单位：\n为切实做好安全生产工作，"
    "经研究，决定于{year}年{m}月开展安全生产大检查。请各单位认真组织自查，于{m}月{d}日前报送"
    "自查报告。\n{agency}\n{year}年{m}月{d}日",
    "{agency}{year}年部门预算公开说明\n一、部门职责\n主要负责本行政区域内有关工作。\n"
    "二、收支预算总表\n收入合计{n}万元，支出合计{n}万元。",
)


def _old_table(rng: random.Random, year: int) -> Block:
    cumulative = rng.random() < 0.6
    names = ("指标名称", "计量单位", f"{year}年度" if rng.random() < 0.5 else "本年度")
    header = tuple(HeaderCell(t, i) for i, t in enumerate(
        (*names, "历年累计") if cumulative else names))
    rows = []
    for label, unit in _OLD_ROWS:
        value = 0 if rng.random() < 0.4 else rng.randint(1, 3000)
        cells = (unit, str(value), str(value * rng.randint(1, 9))) if cumulative else (
            unit, str(value))
        rows.append(TableRow((label,), (), (), cells))
    return Block("统计表", rng.choice(_OLD_TITLES), (header,), 1, len(header), tuple(rows))


def generate_older(rng: random.Random, stem: str, *, agency: str, year: int, layout: str,
                   encoding: str, year_in_name: bool | None = None) -> SyntheticReport:
    we = txt.self_name(agency)
    parts = [Part("title", f"{agency}{year}年政府信息公开工作年度报告")]
    for numeral, (heading, prose) in zip(CN_NUMERALS, _OLD_SECTIONS, strict=False):
        parts.append(Part("heading", f"{numeral}、{heading}"))
        parts.append(Part("para", prose.format(year=year, we=we, n=rng.randint(20, 5000),
                                               k=rng.randint(0, 40))))
    if rng.random() < 0.85:  # some old reports have no table at all
        parts.append(Part("para", "附表："))
        parts.append(Part("table", block=_old_table(rng, year)))
    rendered = LAYOUTS[layout](parts, rng, Context("", {}))
    text, data = txt.to_bytes(rendered.lines, encoding, crlf=rng.random() < 0.25)
    name = file_name(rng, stem, year, layout, year_in_name)
    return SyntheticReport(name, data, text, "older", layout, encoding, agency, year, False, {},
                           kind="older")


def generate_invalid(seed: int, kind: str | None = None) -> SyntheticReport:
    """A file that is not a report: "empty", "binary", "unrelated" text, or "no_tables" (a report's
    prose with its tables missing). agency/year are set only where the text states them."""
    rng = random.Random(seed)
    kind = kind or rng.choice(INVALID_KINDS)
    agency, year = rng.choice(txt.AGENCIES), rng.randint(2019, 2025)
    encoding = txt.random_encoding(rng)
    if kind == "empty":
        text, data, agency, year = "", b"", None, None
    elif kind == "binary":
        text, data, agency, year = "", b"\x89PNG\r\n\x1a\n\x00\x00" + rng.randbytes(600), None, None
    elif kind == "unrelated":
        body = rng.choice(_UNRELATED).format(agency=agency, year=year, m=rng.randint(1, 12),
                                             d=rng.randint(1, 28), n=rng.randint(10, 900))
        text, data = txt.to_bytes(body.split("\n"), encoding, crlf=False)
    elif kind == "no_tables":
        parts = txt.skeleton(rng, agency=agency, year=year, version="2021", blocks={}, gold={},
                             presentation="title")
        text, data = txt.to_bytes(LAYOUTS["pipe"](parts, rng, Context("2021", {})).lines,
                                  encoding, crlf=False)
    else:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(INVALID_KINDS)}")
    return SyntheticReport(f"x{seed}_{kind}.txt", data, text, None, "", encoding, agency, year,
                           False, {}, kind=kind)
