"""Agency and year from every place a report states them, each with where it was read."""

from __future__ import annotations

import pytest

from xxgk.extract.identify import _from_title, identify

HEADER = ("标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20 15:22\n"
          "发布机构: {agency}\n栏目: 政府信息公开年报\n")


@pytest.mark.parametrize(
    ("text", "path", "agency", "year", "sources"),
    [
        # the title names the agency; the publisher field is whoever uploaded the page
        (HEADER.format(agency="行政科"), "x.txt", "平潭综合实验区", 2019, ("header", "header")),
        ("发布机构: 平潭综合实验区管委会办公室\n一、总体情况\n", "x_2019.txt",
         "平潭综合实验区管委会办公室", 2019, ("header", "file_name")),
        # the signature before the date at the end, when no title names the agency
        ("根据《条例》……\n一、总体情况\n2021年，我局政府信息公开工作……\n"
         " 平潭综合实验区综合执法与应急管理局 2022年1月12日 附件下载", "y.txt",
         "平潭综合实验区综合执法与应急管理局", 2021, ("signature", "body")),
        # a PDF title wrapped inside the agency's name
        ("淮安市人民\n政府2024年政府信息公开\n工作年度报告\n一、总体情况\n", "z.txt",
         "淮安市人民政府", 2024, ("title", "title")),
        (HEADER.format(agency=""), "x.txt", "平潭综合实验区", 2019, ("header", "header")),
        ("淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由……", "a.txt",
         "淮安市人民政府", 2024, ("title", "title")),
        ("青山县自然资源局2022年政府信息公开工作年度报告\n一、总体情况\n", "b.txt",
         "青山县自然资源局", 2022, ("title", "title")),
        ("2021年度东湖区教育局政府信息公开工作年度报告\n", "c.txt",
         "东湖区教育局", 2021, ("title", "title")),
        ("一、总体情况\n2023年,沿海工业城发展服务中心政务信息公开工作在县委……", "r/seed_2023.txt",
         "沿海工业城发展服务中心", 2023, ("body", "file_name")),
        ("一、总体情况\n2023年,沿海工业城发展服务中心政务信息公开工作在县委……", "r/seed.txt",
         "沿海工业城发展服务中心", 2023, ("body", "body")),
    ],
)
def test_agency_and_year(text: str, path: str, agency: str, year: int, sources: tuple) -> None:
    ident = identify(text, path)
    assert (ident.agency, ident.year) == (agency, year)
    assert (ident.agency_source, ident.year_source) == sources


@pytest.mark.parametrize("name", ["r2022.txt", "t20200120_80576.txt", "2022x.txt"])
def test_numbers_in_identifiers_are_not_years(name: str) -> None:
    assert identify("一、总体情况\n2019年,某局政务信息公开工作……", name).year == 2019


@pytest.mark.parametrize(
    "title",
    [
        "青山县自然资源局关于2022年政府信息公开工作年度报告的公告",
        "青山县自然资源局政府信息公开工作2022年度报告",
        "2022年青山县自然资源局政务公开工作年度报告",
        "青山县自然资源局2022年政府信息公开年报",
        "《青山县自然资源局2022年政府信息公开工作年度报告》",
    ],
)
def test_title_wordings(title: str) -> None:
    ident = identify(title + "\n一、总体情况\n", "x.txt")
    assert (ident.agency, ident.year, ident.agency_source) == ("青山县自然资源局", 2022, "title")


def test_the_publication_date_is_not_the_report_year() -> None:
    ident = identify("发布时间: 2020-01-20 15:22\n发布机构: 某局\n", "x.txt")
    assert ident.year is None and ident.agency == "某局"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        # a letter sending the report: the agency ends where 关于 begins
        ("标题: 平潭综合实验区苏平片区管理局关于报送2020年度政府信息公开工作年度报告的函\n"
         "发布机构: 平潭综合实验区苏平片区管理局\n", "平潭综合实验区苏平片区管理局"),
        # a clause of a sentence is no title
        ("闽政通APP\n\n根据《条例》，结合我局实际，编制完成2021年度政府信息公开工作年度报告。\n"
         "一、总体情况\n2021年，我局坚持公开为常态。\n", None),
    ],
)
def test_no_agency_from_a_letter_a_quoted_document_or_a_clause(text: str, agency: str | None
                                                               ) -> None:
    assert identify(text, "x.txt").agency == agency


def test_a_quoted_document_s_title_names_no_agency() -> None:
    """Another document quoted in the opening sentence (《…关于编制公布2021年政府信息公开工作年度
    报告有关事项的通知》) is not the report's title; the report's own title in 《》 is."""
    quoted = ("《东海区管委会办公室关于编制公布2021年政府信息公开工作年度报告有关事项的通知》要求，"
              "结合我局实际，编制完成本报告。")
    assert _from_title(quoted) == (None, None)
    own = "《青山县自然资源局2022年政府信息公开工作年度报告》"
    assert _from_title(own) == ("青山县自然资源局", 2022)
