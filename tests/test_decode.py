"""Report bytes in every encoding seen in the wild decode to the same text; what is not text
is refused with a reason."""

from __future__ import annotations

import codecs

import pytest

from xxgk.extract.decode import NotText, decode

TEXT = "二、主动公开政府信息情况\n规章 | 0 | 1 | 12 |\n行政事业性收费 | 96171.6 |\n" * 20


@pytest.mark.parametrize(
    ("data", "method"),
    [
        (TEXT.encode("utf-8"), "strict utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "bom"),
        (TEXT.encode("gb18030"), "strict gb18030"),
        (TEXT.encode("gbk"), "strict gb18030"),
        (TEXT.encode("utf-16"), "bom"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "bom"),
        (TEXT.encode("utf-16-le"), "nul pattern"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "strict utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16", "utf-16-be", "utf-16-le-no-bom", "crlf"],
)
def test_encodings_decode_to_the_same_text(data: bytes, method: str) -> None:
    decoded = decode(data)
    assert decoded.text.replace("\r\n", "\n") == TEXT
    assert decoded.method == method


def test_chardet_is_the_fallback_for_other_encodings() -> None:
    text = ("政府資訊公開工作年度報告，本機關依法辦理申請。"
            "二、主動公開政府資訊情況，本年度新收申請數量為二十三件。") * 10
    decoded = decode(text.encode("big5"))
    assert decoded.method.startswith("chardet")
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(NotText, match=reason):
        decode(data)
