"""Generated pages flattened by the tools people use (pandoc, inscriptis, html2text,
markdownify, BeautifulSoup, pandas, lynx, w3m, python-docx, docx2txt, Chromium to PDF then
pdftotext and pdfplumber), read back: never a wrong number without a flag, no report lost,
agency and year right, every broken report flagged, and at least the share of cells right
each renderer reaches today (bench/render_sweep.py measures it on thousands)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from xxgk.synth import ENCODINGS, generate_report
from xxgk.synth.renderers import RENDERERS, MissingTool, render_report
from xxgk.transform.parse import parse_bytes

SEEDS = (3, 8, 13, 21)
# The share of cells each renderer must read right (flagged cells the text cannot decide
# count as right): the rest are flagged, never wrong.
FLOOR = {"pdftotext": 0.80, "lynx": 0.98, "w3m": 0.99, "inscriptis": 0.99,
         "pdftotext_layout": 0.99}


@pytest.mark.parametrize("name", list(RENDERERS))
def test_a_renderer_s_text_is_read_right_or_flagged(name: str) -> None:
    renderer = RENDERERS[name]
    if (missing := renderer.missing()) is not None:
        pytest.skip(f"{name} needs the {missing}")
    cells = right = 0
    for n, seed in enumerate(SEEDS):
        synthetic = render_report(seed, name, encoding=ENCODINGS[n % len(ENCODINGS)],
                                  version=("2019", "2021")[n % 2], broken=n == 3)
        report = parse_bytes(synthetic.data, synthetic.name)
        assert report.status != "error", (seed, report.error)
        assert (report.agency, report.year) == (synthetic.agency, synthetic.year)
        if synthetic.broken:
            assert any(c.passed is False for c in report.checks) or any(
                (f.flag or "") and f.value is None for f in report.facts)
        facts = {(f.code, f.applicant_type): f for f in report.facts}
        for key, want in synthetic.gold.items():
            fact = facts[key]
            cells += 1
            if fact.value == want or (key in synthetic.ambiguous and fact.flag):
                right += 1
            else:
                assert fact.flag and fact.value is None, (seed, key, want, fact)
    assert right / cells >= FLOOR.get(name, 0.999), right / cells


def test_the_page_uses_the_spans_real_pages_use() -> None:
    pages = [generate_report(seed, layout="html").text for seed in range(6)]
    for page in pages:
        assert 'rowspan="' in page and 'colspan="' in page and "<table>" in page
    assert any("<p>" in p for p in pages) and any("<br>" in p for p in pages)
    assert any("&nbsp;" in p or "<td></td>" in p for p in pages)


def test_a_missing_tool_is_named() -> None:
    renderer = replace(RENDERERS["lynx"], needs=("no-such-program-xxgk",))
    assert "no-such-program-xxgk" in (renderer.missing() or "")
    with pytest.raises(MissingTool, match="no-such-program-xxgk"):
        renderer("<html></html>")


def test_generate_writes_rendered_reports_with_their_gold(tmp_path) -> None:
    from click.testing import CliRunner

    from xxgk.cli import main

    if RENDERERS["pandoc_plain"].missing():
        pytest.skip("pandoc_plain needs pypandoc")
    result = CliRunner().invoke(main, ["generate", str(tmp_path), "--n", "2",
                                       "--renderers", "pandoc_plain,markdownify"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == [
        "00000_pandoc_plain.txt", "00001_markdownify.txt"]
    assert "pandoc_plain" in (tmp_path / "meta.csv").read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["generate", str(tmp_path), "--renderers", "nope"])
    assert bad.exit_code == 2 and "unknown renderer 'nope'" in bad.output


@pytest.mark.parametrize("name", ["inscriptis", "w3m"])
def test_fixed_width_columns_without_a_complete_row_or_shifted_by_a_group_label(name) -> None:
    """Fixed-width text (inscriptis, w3m): a part 二 table whose every row leaves a cell empty
    is read by where its values and its headings stand, and a row whose line also carries a
    group label spanning rows (（三）不予公开 …) by the complete rows shifted the same way
    (w3m: part 二 only; its narrow columns also break numbers over lines)."""
    if (missing := RENDERERS[name].missing()) is not None:
        pytest.skip(f"{name} needs the {missing}")
    wrong = []
    for seed in range(4_100_000, 4_100_040):
        synthetic = render_report(seed, name, encoding="utf-8", version=("2019", "2021")[seed % 2])
        facts = {(f.code, f.applicant_type): f for f in parse_bytes(synthetic.data, "r.txt").facts}
        wrong += [(seed, k) for k, want in synthetic.gold.items() if facts[k].value != want
                  and k not in synthetic.ambiguous and (name == "inscriptis" or k[0] < "s3")]
    assert not wrong, wrong[:5]


def _break_number(text: str, centred: bool, tight: bool = False) -> str | None:
    """The first row of part 三 printing a number of two digits or more, that number broken
    by a narrow column: its first digit on a line above the row's and the rest on a line
    below (Chromium's PDF through pdftotext -layout), or the rest alone below (w3m); the
    spacing lines between rows kept, or (`tight`) the rest printed on the spacing line, right
    before the next row's line (w3m)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开"))
    for i in range(start, end):
        if (m := re.search(r"(?<=\s)(\d)(\d+)(?=\s|$)", lines[i])) is None:
            continue
        at, head, rest = m.start(), m.group(1), m.group(2)
        main = lines[i][:at] + (" " if centred else head) + " " * len(rest) + lines[i][m.end():]
        above = [" " * at + head] if centred else []
        if tight and not lines[i + 1].strip():
            lines[i:i + 2] = [main, " " * at + rest]
        else:
            lines[i:i + 1] = [*above, main, " " * at + rest]
        return "\n".join(lines)
    return None


@pytest.mark.parametrize("centred", [True, False])
def test_a_number_a_narrow_column_broke_over_lines_is_read_whole(centred: bool) -> None:
    """Fixed-width text where a narrow column broke a number over lines — 4 above the row's
    line and 6 below for 46 (pdftotext -layout), or 4 on it and 6 below (w3m) — reads 46,
    and the rows around it keep their own values."""
    read = 0
    for seed in range(12):
        synthetic = render_report(seed, "inscriptis", encoding="utf-8",
                                  version=("2019", "2021")[seed % 2])
        text = _break_number(synthetic.data.decode("utf-8-sig"), centred)
        if text is None:
            continue
        report = parse_bytes(text.encode("utf-8"), "r.txt")
        facts = {(f.code, f.applicant_type): f for f in report.facts}
        wrong = [(k, want, facts[k].value) for k, want in synthetic.gold.items()
                 if facts[k].value != want and k not in synthetic.ambiguous]
        assert not wrong, (seed, wrong[:3])
        read += 1
    assert read >= 6


def test_an_empty_cell_written_as_one_space_in_gbk_is_an_empty_cell() -> None:
    """One cell per line (BeautifulSoup's get_text("\\n")) written in GBK, which has no
    no-break space: the &nbsp; of an empty cell becomes a line of one space, still a cell."""
    if (missing := RENDERERS["bs4_lines"].missing()) is not None:
        pytest.skip(f"bs4_lines needs the {missing}")
    for seed in range(4):
        synthetic = render_report(seed, "bs4_lines", encoding="utf-8", version="2021")
        text = synthetic.data.decode("utf-8-sig").replace("\r\n", "\n")
        m = re.search(r"二、上年结转政府信息公开申请数量\n(?:[^\n]+\n){3}", text)
        assert m is not None
        start = m.end()
        end = text.index("\n", start)
        text = text[:start] + " " + text[end:]
        gold = dict(synthetic.gold)
        gold[("s3.carried_over", "社会公益组织")] = None
        report = parse_bytes(text.encode("gbk", errors="replace"), "r.txt")
        facts = {(f.code, f.applicant_type): f for f in report.facts}
        wrong = [(k, want, facts[k].value) for k, want in gold.items()
                 if k[0] == "s3.carried_over" and facts[k].value != want]
        assert not wrong, (seed, wrong)
        assert facts[("s3.carried_over", "社会公益组织")].flag == "blank"


def test_rows_printing_only_marks_do_not_hide_a_broken_identity() -> None:
    """A report whose part 三 prints 无 and empty cells, fixed-width (inscriptis), with its
    part 四 arithmetic broken: rows of marks the reader cannot place show no disorder of the
    page, so the broken identity stays a failed check, not an unread row."""
    synthetic = render_report(5_100_374, "inscriptis", encoding="utf-8", version="2021",
                              broken=True)
    assert b"\xe6\x97\xa0" in synthetic.data  # 无
    report = parse_bytes(synthetic.data, synthetic.name)
    assert report.status == "checks_failed"
    assert any(c.rule == "I4" and c.passed is False for c in report.checks)


def test_a_table_with_no_complete_row_places_shifted_rows_only_by_rows_shifted_alike() -> None:
    """inscriptis, a part 三 where no row prints every cell: the row carrying the group label
    三、本年度办理结果 on its line stands one column further right than the others, so the
    columns gathered from the other rows must not place it (85 read as 商业企业's)."""
    synthetic = render_report(5_100_071, "inscriptis", encoding="utf-8", version="2019")
    facts = {(f.code, f.applicant_type): f for f in parse_bytes(synthetic.data, "r.txt").facts}
    wrong = [(k, want, facts[k].value) for k, want in synthetic.gold.items()
             if facts[k].value != want and facts[k].value is not None]
    assert not wrong, wrong


def test_a_broken_number_right_before_the_next_row_is_read_when_that_row_is_complete() -> None:
    """w3m prints the rest of a broken number on the line right before the next row's: it is
    this row's when the next row prints all its cells on its own line; never a wrong cell."""
    read = 0
    for seed in range(12):
        synthetic = render_report(seed, "inscriptis", encoding="utf-8",
                                  version=("2019", "2021")[seed % 2])
        text = _break_number(synthetic.data.decode("utf-8-sig"), centred=False, tight=True)
        if text is None:
            continue
        facts = {(f.code, f.applicant_type): f
                 for f in parse_bytes(text.encode("utf-8"), "r.txt").facts}
        wrong = [k for k, want in synthetic.gold.items()
                 if facts[k].value != want and k not in synthetic.ambiguous]
        assert all(facts[k].value is None and facts[k].flag for k in wrong), (seed, wrong[:3])
        read += not wrong
    assert read >= 6


def test_a_page_joined_by_spaces_has_no_empty_cells_in_its_lines_of_one_space() -> None:
    """BeautifulSoup's get_text(" ") leaves lines of one space around rows of many values:
    they are spacing, not the empty cells a line of one space is in one-value-per-line text
    written in GBK (the part 四 row of 15 cells read shifted by two)."""
    synthetic = render_report(3_100_011, "bs4_spaces", encoding="utf-8", version="2021")
    assert b"\n \n" in synthetic.data.replace(b"\r\n", b"\n")
    facts = {(f.code, f.applicant_type): f for f in parse_bytes(synthetic.data, "r.txt").facts}
    wrong = [(k, want, facts[k].value) for k, want in synthetic.gold.items()
             if facts[k].value is not None and facts[k].value != want]
    assert not wrong, wrong[:3]
