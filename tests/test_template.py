"""The template's data files: codes unique, identity terms naming cells, codes and headings as
../shared/TEMPLATE.md names them, and broken files refused with an error naming the entry."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from xxgk.template import TemplateError, all_templates, cell_text, load, parse_version, parts
from xxgk.template.spec import CommonSpec, validated

TEMPLATE_MD = Path(__file__).resolve().parents[2] / "shared" / "TEMPLATE.md"
_CODE = r"s[234](?:\.[a-z_]+)+"


def _file_text(version: str) -> str:
    return resources.files("xxgk.template").joinpath(f"v{version}.toml").read_text(
        encoding="utf-8")


def _broken(version: str, old: str, new: str) -> dict:
    text = _file_text(version)
    assert old in text, f"the test's edit {old!r} no longer matches v{version}.toml"
    return tomllib.loads(text.replace(old, new, 1))


@pytest.mark.parametrize("template", [v for t in all_templates() for v in (t, *t.variants)],
                         ids=lambda t: f"{t.version}-{t.variant or 'base'}")
def test_cells_unique(template) -> None:
    keys = Counter(c.key for c in template.cells)
    assert [k for k, n in keys.items() if n > 1] == []
    row_codes = Counter(r.code for r in template.rows if r.code)
    assert [c for c, n in row_codes.items() if n > 1] == []


@pytest.mark.parametrize("template", [v for t in all_templates() for v in (t, *t.variants)],
                         ids=lambda t: f"{t.version}-{t.variant or 'base'}")
def test_every_identity_term_resolves_to_a_cell(template) -> None:
    cells = {c.key for c in template.cells}
    assert template.identities
    for idn in template.identities:
        assert idn.left and idn.right, idn.text
        assert set(idn.keys) <= cells, (idn.rule, idn.scope, set(idn.keys) - cells)


def test_each_table_role_is_one_part_and_rows_sit_in_table_parts() -> None:
    roles = [p.table for p in parts() if p.table]
    assert sorted(roles) == ["appeals", "proactive", "requests"]
    for t in all_templates():
        tables = {t.table_part(r) for r in roles}
        assert {r.section for r in t.rows} == tables
        assert t.total_applicant in t.applicants


def _md() -> str:
    if not TEMPLATE_MD.is_file():
        pytest.skip("../shared/TEMPLATE.md is not here")
    return TEMPLATE_MD.read_text(encoding="utf-8")


def _part2_codes(md: str) -> dict[str, set[str]]:
    """Part 二's codes under each "20xx template:" heading."""
    out: dict[str, set[str]] = {}
    section = md.split("## Part 二", 1)[1].split("\n## ", 1)[0]
    for block in re.split(r"\n(?=20\d\d template:)", section)[1:]:
        out[block[:4]] = set(re.findall(rf"^\| ({_CODE}) \|", block, re.M))
    return out


def _part3_codes(md: str) -> dict[str, set[str]]:
    """Part 三's codes by their versions column ("both", "2019 only", "2021 only")."""
    out: dict[str, set[str]] = {"2019": set(), "2021": set()}
    for code, versions in re.findall(rf"^\| ({_CODE}) \|.*\| ([^|]+) \|$", md, re.M):
        for version in out:
            if versions.strip() == "both" or versions.startswith(version):
                out[version].add(code)
    return out


def _part4_codes(md: str) -> set[str]:
    """Part 四: one group listed in full, the others as `first … last` with the same five."""
    section = md.split("## Part 四", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^\| (s4\..*?) \|", section, re.M)
    full = [c.strip() for c in lines[0].split(",")]
    suffixes = [c.rsplit(".", 1)[1] for c in full]
    groups = [re.match(r"(s4\.[a-z_]+)\.", line).group(1) for line in lines[1:]]
    return set(full) | {f"{g}.{s}" for g in groups for s in suffixes}


def test_codes_equal_those_template_md_names() -> None:
    md = _md()
    part2, part3, part4 = _part2_codes(md), _part3_codes(md), _part4_codes(md)
    assert set(part2) == {"2019", "2021"}
    for t in all_templates():
        expected = part2[t.version] | part3[t.version] | part4
        assert {c.code for c in t.cells} == expected, t.version
    variant_codes = {c.code for t in all_templates() for v in t.variants for c in v.cells}
    assert variant_codes <= part3["2019"] | part3["2021"] | part4 | part2["2021"]


def test_parts_and_applicants_as_template_md_prints_them() -> None:
    md = _md()
    printed = dict(re.findall(r"^\| ([一二三四五六]) \| (\S+) \|", md, re.M))
    assert {p.ordinal: p.heading for p in parts()} == printed
    prose = set(re.findall(r"^\| ([一二三四五六]) \| \S+ \| prose \|", md, re.M))
    assert {p.ordinal for p in parts() if p.prose} == prose
    for t in all_templates():
        assert all(a in md for a in t.applicants)
        assert t.first_year == int(re.search(rf"{t.version} template\*\*[^:]*: reports for "
                                             r"(\d{4})", md).group(1))


@pytest.mark.parametrize(("old", "new", "message"), [
    ('"s3.granted@{applicant}"', '"s3.grantd@{applicant}"',
     "v2021.toml identity 'I2' (办理结果总计 = 予以公开 + 部分公开 + 不予公开 + 无法提供 + "
     "不予处理 + 其他处理): identity term 's3.grantd@自然人' does not resolve"),
    ('"{row}@自然人", "{row}@商业企业"', '"{row}@自然人们", "{row}@商业企业"',
     "v2021.toml identity 'I3' (总计 = 自然人 + 法人或其他组织(五类)): identity term "
     "'s3.new_received@自然人们' does not resolve"),
    ('code = "s3.partially_granted"', 'code = "s3.granted"',
     "v2021.toml row '(二)部分公开(区分处理的,只计这一情形,不计其他情形)': cell ('s3.granted', "
     "'自然人') is also in an earlier row"),
    ('label = "予以公开"', 'label = "予以公开"\nlables = ["予以公开"]',
     "v2021.toml row '(一)予以公开': lables: Extra inputs are not permitted"),
    ('["s2.regulation.repealed", "本年废止件数", "件"]', '["s2.regulation.repealed"]',
     "v2021.toml row '规章': cells"),
    ('code = "s3.total"', 'code = "s3.total"\ncells = [["s3.x", "x", "件"]]',
     "v2021.toml row '(七)总计': Value error, a row has either a code"),
    ('section = "二"', 'section = "七"', "v2021.toml row '规章': section '七' is not a table"),
    ('total_applicant = "总计"', 'total_applicant = "合计"',
     "v2021.toml total_applicant: '合计' is not one of the applicants"),
    ('code = "s3.other"\n', 'code = "s3.total"\n',
     "v2021.toml variant '其他处理 as one row (2019 form)': cell ('s3.total', '自然人') is also in "
     "a row it keeps"),
    ('replaces = "s3.other.*"', 'replaces = "s3.others.*"',
     "v2021.toml variant '其他处理 as one row (2019 form)': replaces no row"),
    ('minus = "s2.regulation.repealed"', 'minus = "s2.regulation.abolished"',
     "v2021.toml cross_year 'X2' (s2.regulation.in_force): code 's2.regulation.abolished'"),
    ("signed = []", 'signed = ["*.items_change"]',
     "v2021.toml signed: pattern '*.items_change' matches no cell"),
    ('first_year = 2021', 'first_year = "soon"', "v2021.toml: first_year: Input should be"),
])
def test_a_broken_file_fails_naming_the_entry(old: str, new: str, message: str) -> None:
    with pytest.raises(TemplateError) as raised:
        parse_version(_broken("2021", old, new), "v2021.toml")
    assert message in str(raised.value)


def test_the_shipped_files_parse_as_loaded() -> None:
    for version in ("2019", "2021"):
        again = parse_version(tomllib.loads(_file_text(version)), f"v{version}.toml")
        assert again.rows == load(version).rows
        assert again.identities == load(version).identities


def test_what_the_generator_prints_the_template_knows() -> None:
    """The generator's no-number marks are marks, and every printed unit converts to money."""
    from xxgk.analysis.reference import analysis_data
    from xxgk.synth.layouts import EMPTY_MARKS, RUN_TOGETHER_MARKS

    text = cell_text()
    assert set(EMPTY_MARKS) | set(RUN_TOGETHER_MARKS) <= {*text.marks, *text.dash_marks,
                                                          *text.word_marks}
    assert set(analysis_data()["money"]["factors"]) == set(text.units)


@pytest.mark.parametrize(("old", "new", "message"), [
    ('table = "appeals"', 'table = "requests"',
     "common.toml: part: Value error, more than one part with table requests"),
    ('ordinal = "六"', 'ordinal = "五"', "more than one part with ordinal 五"),
    ('table = "appeals"\n', '\n', "no part with table appeals"),
    ('table = "proactive"', 'table = "items"', "common.toml part '二': table: Input should be"),
    ('word_marks = ["无"]', 'word_marks = ["无法"]',
     "common.toml: cell_text.word_marks: String should have at most 1 character"),
])
def test_a_broken_common_file_fails_naming_the_entry(old: str, new: str, message: str) -> None:
    text = resources.files("xxgk.template").joinpath("common.toml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(TemplateError) as raised:
        validated(CommonSpec, tomllib.loads(text.replace(old, new, 1)), "common.toml")
    assert message in str(raised.value)
