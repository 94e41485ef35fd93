"""The data dictionary: docs/data-dictionary.md is what this xxgk's warehouse says of itself
(regenerate with `xxgk dictionary`), and every table, view and column says something."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.analysis.dictionary import build, fresh_markdown
from xxgk.load import warehouse as wh

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"


@pytest.fixture
def con():
    c = wh.connect(":memory:")
    yield c
    c.close()


def test_the_docs_dictionary_is_not_stale() -> None:
    assert DOC.read_text(encoding="utf-8") == fresh_markdown(), \
        "docs/data-dictionary.md is stale: run `xxgk dictionary`"


def test_every_table_view_and_column_carries_a_comment(con) -> None:
    d = build(con)
    assert len(d["relations"]) > 30
    assert [r["name"] for r in d["relations"] if not r["comment"]] == []
    assert [(r["name"], c["name"]) for r in d["relations"] for c in r["columns"]
            if not c["comment"]] == []


def test_codes_carry_labels_descriptions_units_and_groups(con) -> None:
    codes = {(c["version"], c["code"]): c for c in build(con)["codes"]}
    other = codes[("2021", "s3.other.fee_unpaid")]
    assert other["harmonised_code"] == "s3.other" and other["outcome_group"] == "other_handled"
    assert other["label_zh"].startswith("其他处理")
    assert other["description_en"] == "other: fee unpaid"
    assert codes[("2021", "s2.admin_fee.amount")]["kind"] == "amount"
    assert codes[("2019", "s3.withheld.state_secret")]["outcome_group"] == "withheld"
    assert {r["rule"] for r in build(con)["rules"]} == {"I1", "I2", "I3", "I4", "X1", "X2"}
