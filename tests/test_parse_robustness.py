"""Whatever the bytes, the parser itself never raises: one bad file must never stop a night's
batch. parse_bytes turns any exception into status "error" with an "internal parser error"
reason, so the tests check that reason never appears: a crash inside the parser fails them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.transform.parse import parse_bytes

STATUSES = {"ok", "checks_failed", "unsupported", "error"}
CRASH = "internal parser error"
"""parse_bytes' reason for an exception that escaped the parser (xxgk/transform/parse.py)."""


def test_a_crash_inside_the_parser_is_what_these_tests_catch(monkeypatch) -> None:
    """The marker the tests look for is what a raising parser step produces."""
    def boom(*args: object) -> None:
        raise ValueError("bug")

    monkeypatch.setattr("xxgk.transform.parse.normalize_tracked", boom)
    report = parse_bytes("三、收到和处理政府信息公开申请情况".encode(), "x.txt")
    assert CRASH in (report.error or "")


FRAGMENTS = st.sampled_from([
    "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量", "(一)予以公开", "1.属于国家秘密", "(七)总计",
    "四、结转下年度继续办理", "行政复议", "规章", "|", "\t", " ", "\n", "0", "12", "230 000023",
    "-", "/", "无", "2023年", "存在的主要问题及改进情况", "3.其他",
])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    report = parse_bytes(data, "fuzz.txt")
    assert report.status in STATUSES
    assert report.status != "error" or report.error
    assert CRASH not in (report.error or "")


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=200))
def test_report_shaped_noise_never_raises(parts: list[str]) -> None:
    for encoding in ("utf-8", "gb18030", "utf-16"):
        report = parse_bytes("".join(parts).encode(encoding), "fuzz.txt")
        assert report.status in STATUSES
        assert CRASH not in (report.error or "")
