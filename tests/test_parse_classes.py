"""Classes of real layouts, each made from generated reports by the change real ones show:
a 2021 report printing part 三's 其他处理 as one row (2019 form), a part 二 row left out, prose
after a table, a misprinted row label, the 总体情况 quoting a row label with a number, a
subheading of part 二 after its table, an agency's own part after part 四, a row printed
with no number at all. Gold is the generator's; the parser must read every cell right."""

from __future__ import annotations

import re

import pytest

from xxgk.model import ParsedReport
from xxgk.synth import generate_report
from xxgk.synth.report import SyntheticReport
from xxgk.transform.parse import parse_bytes

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def _report(seed: int, layout: str, version: str = "2021") -> SyntheticReport:
    return generate_report(seed, layout=layout, encoding="utf-8", version=version)


def _parse(text: str, name: str) -> ParsedReport:
    return parse_bytes(text.encode("utf-8"), name)


def _values(report: ParsedReport) -> dict:
    return {(f.code, f.applicant_type): f.value for f in report.facts}


def _assert_gold(report: ParsedReport, gold: dict, ambiguous: frozenset = frozenset()) -> None:
    """Every gold cell read right; where the generator says the text cannot decide, flagged."""
    facts = {(f.code, f.applicant_type): f for f in report.facts}
    wrong = {k: (v, facts[k].value if k in facts else "absent") for k, v in gold.items()
             if k not in facts or (facts[k].value != v and not (k in ambiguous and facts[k].flag))}
    assert not wrong, list(wrong.items())[:5]


def _sub(pattern: str, repl: str, text: str) -> str:
    out, n = re.subn(pattern, repl, text, count=1, flags=re.S)
    assert n == 1, pattern
    return out


@pytest.mark.parametrize("seed", range(4))
def test_a_2021_report_with_the_2019_other_row_is_read_as_printed(seed: int) -> None:
    synthetic = _report(seed, "tsv")
    gold = {k: v for k, v in synthetic.gold.items() if not k[0].startswith("s3.other.")}
    sums = {a: sum(synthetic.gold[(c, a)] or 0 for c in (
        "s3.other.no_correction", "s3.other.fee_unpaid", "s3.other.other")) for a in APPLICANTS}
    gold |= {("s3.other", a): s for a, s in sums.items()}
    row = "\t".join(str(sums[a]) for a in APPLICANTS)
    text = _sub(r"(其他处理)\t1\..*?\n(?=[^\n]*[(（]七)", rf"\1\t\t{row}\n",
                synthetic.data.decode())
    report = _parse(text, synthetic.name)
    assert report.template == "2021"
    assert report.status == synthetic.expected_status
    assert all(f.value is None and f.flag.startswith("blank: not printed")
               for f in report.facts if f.code.startswith("s3.other."))
    _assert_gold(report, gold, synthetic.ambiguous)


@pytest.mark.parametrize("layout", ["tsv", "runtogether", "pipe"])
def test_a_part_2_row_left_out_is_blank_not_printed(layout: str) -> None:
    synthetic = _report(5, layout)
    text = _sub(r"\n?规\s*章[^\n]*?(?=行|\n)", "", synthetic.data.decode())
    report = _parse(text, synthetic.name)
    facts = {f.code: f for f in report.facts if f.code.startswith("s2.regulation")}
    assert all(f.value is None and f.flag.startswith("blank") for f in facts.values()), facts
    _assert_gold(report, {k: v for k, v in synthetic.gold.items()
                          if not k[0].startswith("s2.regulation")}, synthetic.ambiguous)


@pytest.mark.parametrize("seed", range(4))
def test_prose_after_a_table_and_an_agency_part_after_part_4_are_not_cells(seed: int) -> None:
    synthetic = _report(seed, "runtogether")
    text = synthetic.data.decode()
    text = _sub(r"(?=三[、,，]\s*收到和处理)", "2025年，我局主动公开政府信息395条，规章、规范性文件"
                "12件。", text)
    own_part = "五、信息处理费收取情况通知收取件数通知收取金额(元)000"
    text = _sub(r"(?=五[、,，]\s*存在)", own_part, text)
    text = text.replace("五、存在", "六、存在", 1)
    report = _parse(text, synthetic.name)
    _assert_gold(report, synthetic.gold, synthetic.ambiguous)


@pytest.mark.parametrize("typo", [("属于行政执法案卷", "属于行政执法案件"),
                                  ("其他法律行政法规禁止公开", "其他法律行政止公开")])
def test_a_misprinted_row_label_still_finds_its_row(typo: tuple[str, str]) -> None:
    for seed in range(3):
        synthetic = _report(seed, "runtogether")
        text = synthetic.data.decode().replace(*typo)
        report = _parse(text, synthetic.name)
        assert report.status == synthetic.expected_status
        _assert_gold(report, synthetic.gold, synthetic.ambiguous)


def test_the_overview_quoting_row_labels_with_numbers_is_not_the_table() -> None:
    synthetic = _report(2, "runtogether")
    quote = ("本年新收政府信息公开申请数量987件，上年结转政府信息公开申请数量5件，"
             "予以公开及部分公开258件。")
    text = _sub(r"(?=二[、,，]\s*主动公开)", quote, synthetic.data.decode())
    _assert_gold(_parse(text, synthetic.name), synthetic.gold, synthetic.ambiguous)


def test_a_part_2_subheading_after_its_table_does_not_hide_the_table() -> None:
    synthetic = _report(4, "runtogether")
    text = _sub(r"(?=三[、,，]\s*收到和处理)", "(三)主动公开政府信息的主要形式 门户网站公开信息。",
                synthetic.data.decode())
    _assert_gold(_parse(text, synthetic.name), synthetic.gold, synthetic.ambiguous)


def test_a_row_printed_with_no_number_is_blank() -> None:
    synthetic = _report(1, "runtogether")
    text = synthetic.data.decode()
    m = re.search(r"(3[.、]\s*其\s*他)([\d/无 ]+)(?=[(（]七)", text)
    assert m, "the 3.其他 row"
    report = _parse(text[: m.end(1)] + text[m.end():], synthetic.name)
    other = [f for f in report.facts if f.code == "s3.other.other"]
    assert all(f.value is None and f.flag == "blank" for f in other), other


@pytest.mark.parametrize(("layout", "sep"), [("pipe", " | "), ("markdown", " | "), ("tsv", "\t"),
                                             ("csv", ",")])
def test_a_number_no_cell_holds_flags_its_row(layout: str, sep: str) -> None:
    """The coverage self-check: a row printing one number more than it has cells is not read."""
    synthetic = _report(1, layout)
    lines = synthetic.data.decode().replace("\r\n", "\n").split("\n")
    i = next(i for i, line in enumerate(lines) if "保护第三方合法权益" in line)
    closing = " |" if lines[i].endswith("|") else ""
    lines[i] = lines[i].rstrip(" |") + sep + "9" + closing
    report = _parse("\n".join(lines), synthetic.name)
    row = [f for f in report.facts if f.code == "s3.withheld.third_party"]
    assert all(f.value is None and f.flag.startswith("unassigned_numbers") for f in row), row
    assert report.status == synthetic.expected_status


def _wrap_label_around_cells(m: re.Match[str]) -> str:
    label, cells = m.group(1), m.group(2)
    return f"{label[:4]}\n{cells}\n{label[4:]}"


@pytest.mark.parametrize("seed", range(6))
def test_pdf_labels_wrapped_around_their_cells_page_ends_and_form_feeds(seed: int) -> None:
    """PDF text: 一、本年新收 / 350 19 1 1 10 6 387 / 政府信息公开申请数量, and a page that ends
    inside the table with a form feed and its footer."""
    synthetic = _report(seed, "pdf", "2019" if seed % 2 else "2021")
    text = re.sub(r"^([一二三四]、[^\n\d]{6,}?) ((?:[\d\-—/]+ ){6}[\d\-—/]+)$",
                  _wrap_label_around_cells, synthetic.data.decode(), flags=re.M)
    text = _sub(r"\n(?=[^\n]*2[.、]重复申请)", "\n\f- 7 -\n", text)
    report = _parse(text, synthetic.name)
    assert report.status == synthetic.expected_status, report.error
    _assert_gold(report, synthetic.gold, synthetic.ambiguous)


def _cells_first(m: re.Match[str]) -> str:
    return f"{m.group(2)}\n{m.group(1)}"


@pytest.mark.parametrize(("seed", "every"), [(0, 1), (1, 1), (2, 2), (3, 3), (4, 2), (5, 1)])
def test_pdf_cells_printed_on_the_line_before_their_label(seed: int, every: int) -> None:
    """pdfplumber prints the cells of a row whose label wraps on the line above the label:
    every row so, or one in `every`."""
    synthetic = _report(seed, "pdf", "2019" if seed % 2 else "2021")
    lines = synthetic.data.decode().replace("\r\n", "\n").split("\n")
    row = re.compile(r"^(.*[^\d\s\-—/无]) ((?:[\d\-—/无]+ ){6}[\d\-—/无]+)$")
    moved = 0
    for i, line in enumerate(lines):
        if (m := row.match(line)) and "、" not in line[:2]:
            moved += 1
            if moved % every == 0:
                lines[i] = _cells_first(m)
    assert moved >= 10
    text = "\n".join(lines)
    report = _parse(text, synthetic.name)
    assert report.status == synthetic.expected_status, report.error
    _assert_gold(report, synthetic.gold, synthetic.ambiguous)
    for f in report.facts:  # each cell still points at its own printed text
        if f.value is not None and f.span:
            assert text[f.span[0]:f.span[1]] == f.raw, f


def test_a_page_kept_as_html_is_found_and_read(tmp_path) -> None:
    """Crawlers keep pages as HTML: ingest finds .html files, the parser reads them."""
    from xxgk.extract.discover import REPORT_SUFFIXES

    assert {".html", ".htm"} <= REPORT_SUFFIXES
    for seed in range(4):
        synthetic = generate_report(seed, layout="html", encoding="utf-8")
        report = parse_bytes(synthetic.data, "page.html")
        assert report.status == synthetic.expected_status
        _assert_gold(report, synthetic.gold, synthetic.ambiguous)


def _interleave(m: re.Match[str]) -> str:
    """7 1 6 → 7 / 现行 / 有效件数 / 6 / 1: a heading drawn between values, two swapped."""
    a, b, c = m.group(2), m.group(3), m.group(4)
    return f"{m.group(1)}\n{a}\n现行\n有效件数\n{c}\n{b}"


@pytest.mark.parametrize("seed", range(8))
def test_values_printed_around_a_column_heading_are_not_read_in_print_order(seed: int) -> None:
    """pdftotext without -layout takes a PDF's text in the order it was drawn: a column
    heading may come out between a row's values, and the values out of their order. Such a
    row's cells are flagged, never read in print order (unless every value is the same)."""
    synthetic = _report(seed, "pdf", "2021")
    text, n = re.subn(r"^((?:行政)?规范性文件) ([\d\-—/]+) ([\d\-—/]+) ([\d\-—/]+)$",
                      _interleave, synthetic.data.decode().replace("\r\n", "\n"), count=1,
                      flags=re.M)
    assert n == 1
    report = _parse(text, synthetic.name)
    facts = {(f.code, f.applicant_type): f for f in report.facts}
    codes = [k for k in synthetic.gold if k[0].startswith("s2.normative_doc.")]
    printed = {synthetic.gold[k] for k in codes}
    for key in codes:
        fact = facts[key]
        assert fact.value == synthetic.gold[key] or (fact.value is None and fact.flag), fact
        if len(printed) > 1:
            assert fact.value is None and "column headings" in (fact.flag or ""), fact


@pytest.mark.parametrize("seed", [0, 1, 4, 6])
def test_a_row_printing_nothing_beside_a_row_printing_too_much_is_not_blank(seed: int) -> None:
    """A PDF's text in drawing order can print a row's values before its label, after the
    previous row's: （七）总计 3 0 1 0 0 0 4 2 0 0 0 0 0 2 / 四、结转下年度继续办理. The row
    printing nothing is not read as blank: its values are elsewhere."""
    synthetic = _report(seed, "pdf", "2021")
    text = synthetic.data.decode().replace("\r\n", "\n")
    cells = r"((?: [\d\-—/]+){7})"
    text, n = re.subn(rf"^(（七）总计{cells})\n(四、结转下年度继续办理){cells}$", r"\1\4\n\3", text,
                      count=1, flags=re.M)
    assert n == 1
    report = _parse(text, synthetic.name)
    for f in report.facts:
        if f.code == "s3.carried_forward":
            assert f.value is None and "prints nothing" in (f.flag or ""), f


@pytest.mark.parametrize("seed", range(6))
def test_prose_with_a_year_between_part_4_heading_and_its_table(seed: int) -> None:
    """Crawler text: 四、政府信息公开行政复议与行政诉讼情况 2022年，未有…有关情况。 then the
    table. The year is prose, not the row's cells: the table after it is read, and each cell
    points at its own digits."""
    synthetic = _report(seed, "runtogether", "2021")
    text = synthetic.data.decode("utf-8-sig")
    text = _sub(r"(四、政府信息公开行政复议)、(行政诉讼情况)",
                r"\1与\g<2>2022年，未有政府信息公开行政复议及行政诉讼有关情况。", text)
    report = _parse(text, synthetic.name)
    _assert_gold(report, {k: v for k, v in synthetic.gold.items() if k[0].startswith("s4.")},
                 synthetic.ambiguous)
    for f in report.facts:
        if f.code.startswith("s4.") and f.value is not None and f.span:
            assert text[f.span[0] - 1] != "2" or text[f.span[1]] != "2", f  # not in 2022


@pytest.mark.parametrize("seed", range(6))
def test_zeros_run_together_in_a_table_that_separates_its_cells_are_cut(seed: int) -> None:
    """A page that separates its cells may still run two of one row together (规章000,
    予以公开 1 0 0 0 0 01): digits no cell prints as one number (000, 01) are cut, not
    taken for one cell beside empty ones."""
    synthetic = _report(seed, "pdf", "2021")
    text = synthetic.data.decode().replace("\r\n", "\n")
    start = text.index("一、本年新收")
    m = re.compile(r"^(.*\D(?: [\d\-—/]+){5}) 0 (\d+)$", re.M).search(text, start)
    assert m is not None
    text = text[:m.start()] + f"{m.group(1)} 0{m.group(2)}" + text[m.end():]
    report = _parse(text, synthetic.name)
    _assert_gold(report, synthetic.gold, synthetic.ambiguous)


def _centred_on_wrapped_label(m: re.Match[str]) -> str:
    """| … | 1.申请人无正当理由逾期不补正、行政机关… | 8 | 0 | … | as w3m boxes it: the label over
    three lines, the cells on the middle one."""
    groups, label, cells = m.group(1), m.group(2), m.group(3).split("|")[1:-1]
    empty = "|" + "|".join("  " for _ in cells) + "|"
    blank_groups = "".join("|  " for _ in groups.split("|")[1:])
    return (f"{groups}| {label[:12]} {empty}\n{blank_groups}| {label[12:13]} |{'|'.join(cells)}|\n"
            f"{blank_groups}| {label[13:]} {empty}")


@pytest.mark.parametrize("seed", range(4))
def test_a_grid_row_printing_its_cells_on_the_middle_line_of_its_wrapped_label(seed: int) -> None:
    """A box or markdown grid where a long label wraps over three lines and the row's cells
    stand on the middle one (w3m centres them): the cells are read there, not as blanks."""
    synthetic = _report(seed, "markdown", "2021")
    text = synthetic.data.decode("utf-8-sig").replace("\r\n", "\n")
    text, n = re.subn(r"^((?:\| [^|\n]* )+)\| (\d\.[^|\n]{14,}) ((?:\| [^|\n]* )+\|)$",
                      _centred_on_wrapped_label, text, flags=re.M)
    assert n >= 3
    report = _parse(text, synthetic.name)
    _assert_gold(report, synthetic.gold, synthetic.ambiguous)
