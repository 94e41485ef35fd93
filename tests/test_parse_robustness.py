"""Whatever the bytes, the parser itself never raises: one bad file must never stop a night's
batch. The tests call `parse_unguarded`, the parser below the safety net (`parse_bytes`) that
turns any exception into status "error", so an exception inside the parser fails them; the
safety net is tested on its own. Derandomized, so a run is repeatable; mutated real reports
are fuzzed in tests/test_fuzz_mutations.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.transform.parse import parse_bytes, parse_unguarded
from xxgk.vocabulary import STATUSES

STATUS_WORDS = {s.status for s in STATUSES}
CRASH = "internal parser error"
"""parse_bytes' reason for an exception that escaped the parser (xxgk/transform/parse.py)."""


def test_a_crash_escapes_the_parser_and_the_safety_net_records_it(monkeypatch) -> None:
    """The tests below would see a raising parser step; a night's batch would not stop."""
    def boom(*args: object) -> None:
        raise ValueError("bug")

    monkeypatch.setattr("xxgk.transform.parse.normalize_tracked", boom)
    data = "三、收到和处理政府信息公开申请情况".encode()
    with pytest.raises(ValueError, match="bug"):
        parse_unguarded(data, "x.txt")
    report = parse_bytes(data, "x.txt")
    assert report.status == "error" and CRASH in (report.error or "")


FRAGMENTS = st.sampled_from([
    "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量", "(一)予以公开", "1.属于国家秘密", "(七)总计",
    "四、结转下年度继续办理", "行政复议", "规章", "|", "\t", " ", "\n", "0", "12", "230 000023",
    "-", "/", "无", "2023年", "存在的主要问题及改进情况", "3.其他",
])


def _holds(report) -> None:
    assert report.status in STATUS_WORDS
    assert report.status != "error" or report.error


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _holds(parse_unguarded(data, "fuzz.txt"))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(FRAGMENTS, max_size=200))
def test_report_shaped_noise_never_raises(parts: list[str]) -> None:
    for encoding in ("utf-8", "gb18030", "utf-16"):
        _holds(parse_unguarded("".join(parts).encode(encoding), "fuzz.txt"))
