"""Everything around the tables: invented agencies, prose, how agency and year are presented, the
report skeleton (parts 一..六 with the template's headings), and bytes (encoding, line endings).
"""

from __future__ import annotations

import random

from xxgk.synth.forms import CN_NUMERALS
from xxgk.synth.layouts import Part
from xxgk.synth.tables import Block
from xxgk.synth.values import Value
from xxgk.template import CellKey, load

AGENCIES = (
    "临江市人民政府办公室",
    "青山县自然资源局",
    "东湖区教育局",
    "白石县卫生健康委员会",
    "南岭市生态环境局",
    "柳溪镇人民政府",
    "西川市市场监督管理局",
    "云台区人力资源和社会保障局",
    "望海县交通运输局",
    "北原市住房和城乡建设局",
    "石门街道办事处",
    "翠屏区财政局",
)
"""Invented names; the gold agency is always exactly one of these strings."""

_REPORT_TITLE = load("2021").printed["report_title"]  # the same in every version
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16")
"""Python codec names; utf-8-sig and utf-16 write a byte-order mark."""
_ENCODING_WEIGHTS = (50, 10, 15, 10, 15)

_SELF = (("办公室", "我办"), ("局", "我局"), ("委员会", "我委"), ("镇人民政府", "我镇"),
         ("街道办事处", "我街道"), ("", "本机关"))

_OPENING = (
    "{year}年，{we}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府"
    "信息公开条例》，围绕中心工作和群众关切，扎实推进政务公开各项工作。",
    "{year}年，{we}深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，以公开为常态、"
    "不公开为例外，持续提升政务公开质量和实效。",
)
_INTROS = (
    "本报告由{agency}根据《中华人民共和国政府信息公开条例》规定编制。报告所列统计期限自{year}年"
    "1月1日至{year}年12月31日。",
    "根据《中华人民共和国政府信息公开条例》要求，{agency}编制本报告。本报告所列数据的统计期限"
    "自{year}年1月1日起至{year}年12月31日止。如对本报告有任何疑问，请与{agency}联系。",
)
_SENTENCE_OPENING = (
    "{year}年{comma}{agency}政务信息公开工作在上级机关的指导下，按照《中华人民共和国政府信息公开"
    "条例》及相关工作要求，围绕组织领导、中心工作和群众关切，依法依规推进政务公开。"
)
_SUBSECTIONS = (
    ("主动公开", ("全年主动公开政府信息{n}条，其中政策文件{m}件。",
                 "通过政府门户网站、政务新媒体等渠道发布各类信息{n}条，发布政策解读{k}篇。",
                 "召开新闻发布会{k}场，及时回应社会关切。")),
    ("依申请公开", ("全年共收到政府信息公开申请{received}件，均在法定期限内予以答复。",
                   "进一步规范依申请公开受理、办理、答复流程，严格把好三个关键环节。")),
    ("政府信息管理", ("严格落实公开前保密审查机制，坚持先审查、后公开。",
                     "动态调整主动公开目录，清理过时信息{k}条。")),
    ("平台建设", ("持续优化政府网站栏目设置，新增专题专栏{k}个。",
                  "加强政务新媒体管理，全年发布信息{n}条。")),
    ("监督保障", ("将政务公开工作纳入年度绩效考核，组织业务培训{k}次。",
                  "全年未发生与政府信息公开相关的责任追究事件。")),
)
_TABLE_INTROS = ("{we}本年度有关情况统计如下：", "具体情况见下表。", "")
_PROBLEMS = (
    "{we}政府信息公开工作仍存在一些不足：一是政策解读形式不够丰富；二是公开内容的深度和广度"
    "有待提升。",
    "对照上级新要求和公众新期待，还有一些需要加强和改进的地方，主要是工作人员业务能力有待"
    "提高，信息发布的及时性还需加强。",
)
_IMPROVEMENTS = (
    "下一步，{we}将进一步加强政策解读，丰富解读形式，提升政务公开质效。",
    "{next}年，{we}将持续完善公开目录，加强业务培训，推动政务公开标准化规范化。",
)
_OTHER = (
    "本年度未收取信息处理费。",
    "{year}年，{we}共收取政府信息公开信息处理费{k}元。",
    "无其他需要报告的事项。",
    "依据《政府信息公开信息处理费管理办法》规定，本年度未收取政府信息处理费。",
)


def self_name(agency: str) -> str:
    """How a report names its own agency in prose (我局, 我委, ...)."""
    return next(word for suffix, word in _SELF if agency.endswith(suffix))


def _fill(rng: random.Random, template: str, **known: object) -> str:
    values = {"n": rng.randint(30, 6000), "m": rng.randint(0, 40), "k": rng.randint(1, 30)}
    return template.format(**{**values, **known})


def title_lines(rng: random.Random, agency: str, year: int) -> list[str]:
    """A report title, on one line or (as a PDF prints it) two."""
    form = rng.choice(("{a}{y}年{t}", "{a}{y}年度{t}", "{y}年{a}{t}", "{a}\n{y}年{t}"))
    return form.format(a=agency, y=year, t=_REPORT_TITLE).split("\n")


def meta_lines(rng: random.Random, agency: str, year: int) -> list[str]:
    """A crawler's metadata header; the publication date is the next year's, as in life."""
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    hour, minute, page = rng.randint(8, 18), rng.randint(0, 59), rng.randint(10000, 99999)
    return [
        f"标题: {agency}{year}年度{_REPORT_TITLE}",
        f"发布时间: {year + 1}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}",
        "文号: ",
        f"发布机构: {agency if rng.random() < 0.6 else ''}",
        "栏目: 政府信息公开年报",
        f"原文链接: https://www.example.gov.cn/zwgk/ndbg/{year + 1}{month:02d}/t{page}.html",
        "页面链接与图片详见 links.tsv(同目录)",
        "==================== 正文 ====================",
    ]


def skeleton(rng: random.Random, *, agency: str, year: int, version: str,
             blocks: dict[str, list[Block]], gold: dict[CellKey, Value | None],
             presentation: str) -> list[Part]:
    """The report as parts: header/title, then parts 一..六 with prose and the tables.

    presentation: "meta" (crawler header), "title", or "sentence" (agency and year only in the
    first sentence of part 一).
    """
    we = self_name(agency)
    tpl = load(version)
    total = gold.get(("s3.new_received", tpl.total_applicant))
    received = total if total is not None else rng.randint(0, 50)
    parts: list[Part] = []
    if presentation == "meta":
        parts.append(Part("meta", "\n".join(meta_lines(rng, agency, year))))
    if presentation == "title" or (presentation == "meta" and rng.random() < 0.5):
        parts.append(Part("title", "\n".join(title_lines(rng, agency, year))))
    if presentation != "sentence" and rng.random() < 0.7:
        parts.append(Part("para", _fill(rng, rng.choice(_INTROS), agency=agency, year=year)))
    for section in tpl.parts:
        numeral = section.ordinal
        parts.append(Part("heading", f"{numeral}、{section.heading}"))
        if section.prose == "overview":
            opening = _SENTENCE_OPENING if presentation == "sentence" else rng.choice(_OPENING)
            parts.append(Part("para", _fill(rng, opening, year=year, we=we, agency=agency,
                                            comma=rng.choice((",", "，")))))
            for i, (topic, sentences) in enumerate(rng.sample(_SUBSECTIONS, rng.randint(2, 5))):
                body = "".join(_fill(rng, s, received=received)
                               for s in rng.sample(sentences, rng.randint(1, len(sentences))))
                parts.append(Part("para", f"（{CN_NUMERALS[i]}）{topic}。{body}"))
        elif numeral in blocks:
            intro = _fill(rng, rng.choice(_TABLE_INTROS), we=we)
            parts += [Part("para", intro)] if intro else []
            parts += [Part("table", block=b) for b in blocks[numeral]]
        elif section.prose == "problems":
            parts.append(Part("para", _fill(rng, rng.choice(_PROBLEMS), we=we)))
            parts.append(Part("para", _fill(rng, rng.choice(_IMPROVEMENTS), we=we, next=year + 1)))
        else:
            parts.append(Part("para", _fill(rng, rng.choice(_OTHER), we=we, year=year)))
    return parts


def random_encoding(rng: random.Random) -> str:
    return rng.choices(ENCODINGS, weights=_ENCODING_WEIGHTS)[0]


def to_bytes(lines: list[str], encoding: str, crlf: bool) -> tuple[str, bytes]:
    """The file's text (with its line endings) and its bytes."""
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    return text, text.encode(encoding)
