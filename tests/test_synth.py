"""The synthetic-report generator: consistent numbers, faithful gold, bytes, determinism, oracle.

The parser is not tested here; these tests hold the generator to what its gold promises.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from xxgk import template
from xxgk.cli import main
from xxgk.synth import (
    AGENCIES,
    ENCODINGS,
    INVALID_KINDS,
    LAYOUTS,
    generate_invalid,
    generate_report,
    write_corpus,
    write_samples,
)
from xxgk.synth.ambiguity import ambiguous_positions, splits

VERSIONS = ("2019", "2021")
I3 = [((6,), (0, 1, 2, 3, 4, 5))]


def failed_rules(version: str, gold: dict) -> list[str]:
    """Each identity instance recomputed from the template data, blank counting as 0."""
    def total(keys: tuple) -> float:
        return sum(gold[k] or 0 for k in keys)

    return [i.rule for i in template.load(version).identities
            if abs(total(i.left) - total(i.right)) > 1e-9]


@pytest.mark.parametrize("version", VERSIONS)
def test_tables_satisfy_every_identity(version: str) -> None:
    for seed in range(150):
        report = generate_report(seed, version=version, layout="tsv")
        assert failed_rules(version, report.gold) == [], seed


@pytest.mark.parametrize("version", VERSIONS)
def test_broken_tables_break_exactly_one_rule(version: str) -> None:
    seen = set()
    for seed in range(120):
        report = generate_report(seed, version=version, layout="pipe", broken=True)
        rules = set(failed_rules(version, report.gold))
        assert rules == {report.broken_rule}, seed
        assert report.broken and report.expected_status == "checks_failed"
        seen |= rules
    assert seen == {"I1", "I2", "I3", "I4"}


@pytest.mark.parametrize("version", VERSIONS)
def test_gold_covers_every_template_cell(version: str) -> None:
    keys = [c.key for c in template.load(version).cells]
    for layout in LAYOUTS:
        report = generate_report(3, version=version, layout=layout)
        assert list(report.gold) == keys
        assert report.ambiguous <= set(keys)


def test_values_are_realistic() -> None:
    values = [(k, v) for s in range(200)
              for k, v in generate_report(s, version="2019", layout="csv").gold.items()]
    numbers = [v for _, v in values if v is not None]
    assert sum(v == 0 for v in numbers) > len(numbers) / 2  # many zeros
    assert max(numbers) >= 1000  # sometimes thousands
    assert any(v < 0 for k, v in values if v is not None and k[0].endswith("items_change"))
    assert any(isinstance(v, float) for k, v in values if k[0] == "s2.procurement.amount")
    assert all(v >= 0 for k, v in values if v is not None and not k[0].endswith("_change"))


def test_printed_units_and_empty_cells() -> None:
    units, empties = set(), set()
    for seed in range(150):
        report = generate_report(seed, version="2019")
        units |= set(report.units.values())
        if None in report.gold.values():
            empties.add(report.layout)
        assert set(report.units) <= {("s2.procurement.amount", None)}
    assert units == {"元", "万元"}
    assert len(empties) >= 5


@pytest.mark.parametrize(("layout", "encoding"),
                         list(zip(itertools.cycle(LAYOUTS), ENCODINGS * 2, strict=False)))
def test_every_encoding_round_trips(layout: str, encoding: str) -> None:
    for seed in range(6):
        report = generate_report(seed, layout=layout, encoding=encoding)
        assert report.data.decode(encoding) == report.text
        assert report.encoding == encoding
    boms = {"utf-8-sig": b"\xef\xbb\xbf", "utf-16": (b"\xff\xfe", b"\xfe\xff")}
    if encoding in boms:
        assert report.data.startswith(boms[encoding])


def test_agency_and_year_are_in_the_text() -> None:
    for seed in range(100):
        report = generate_report(seed)
        flat = re.sub(r"\s", "", report.text)
        assert report.agency in AGENCIES and report.agency in flat
        assert f"{report.year}年" in flat
        assert report.version == ("2019" if report.year <= 2020 else "2021") or (
            report.version == "2019" and report.year == 2021)


def test_deterministic_from_seed() -> None:
    a, b = generate_report(42), generate_report(42)
    assert (a.name, a.data, a.gold, a.ambiguous) == (b.name, b.data, b.gold, b.ambiguous)
    assert generate_report(43).data != a.data
    # the numbers do not depend on how the report is printed
    one = generate_report(7, version="2021", year=2022, layout="pdf", encoding="gbk")
    two = generate_report(7, version="2021", year=2022, layout="pipe", encoding="utf-16")
    assert {k: v for k, v in one.gold.items() if v is not None} == {
        k: v for k, v in two.gold.items() if v is not None and one.gold[k] is not None}


def test_only_run_together_rows_are_ambiguous() -> None:
    found = False
    for seed in range(60):
        report = generate_report(seed)
        if report.layout != "runtogether":
            assert not report.ambiguous
        found |= bool(report.ambiguous)
    assert found


def test_layout_specific_printing() -> None:
    for seed in range(40):
        pdf = generate_report(seed, layout="pdf", version="2021").text
        assert re.search(r"^- \d+ -\r?$", pdf, re.M) and re.search(r"\d 年", pdf)
        md = generate_report(seed, layout="markdown").text
        assert "|---|" in md
        run = generate_report(seed, layout="runtogether", version="2021").text
        assert re.search(r"本年新收政府信息公开申请数量[\d０-９/无 ]{7,}二、", run)


def test_oracle_sanity() -> None:
    assert splits("000", 3) == [(0, 0, 0)]
    assert ambiguous_positions("000", 3) == set()
    assert ambiguous_positions("693665", 3) == {0, 1, 2}
    assert splits("640020470", 7, I3) == [(64, 0, 0, 2, 0, 4, 70)]
    assert splits("230 000023", 7, I3) == [(23, 0, 0, 0, 0, 0, 23)]  # a space is a boundary
    assert splits("0/00", 4) == [(0, None, 0, 0)]
    assert ambiguous_positions("13575394432.52元", 2) == {0, 1}
    # a broken row: its identity decides nothing, so every split counts
    assert ambiguous_positions("1112", 3, [((2,), (0, 1))], truth=(1, 1, 12)) == {0, 1, 2}
    assert ambiguous_positions("112", 3, [((2,), (0, 1))], truth=(1, 1, 2)) == set()
    assert ambiguous_positions("1113", 3, [((2,), (0, 1))], truth=(1, 1, 13)) == {0, 1, 2}


def test_older_and_invalid_inputs() -> None:
    older = generate_report(1, version="older")
    assert older.version == "older" and older.year < 2019 and not older.gold
    assert older.expected_status == "unsupported"
    for kind in INVALID_KINDS:
        bad = generate_invalid(1, kind)
        assert bad.kind == kind and bad.expected_status == "error" and not bad.gold
    assert generate_invalid(1, "empty").data == b""
    assert b"\x00" in generate_invalid(1, "binary").data


def test_write_corpus_in_the_scorer_format(tmp_path) -> None:
    reports = write_corpus(tmp_path, 12, seed=5, invalid=2, broken=None)
    gold, meta = (list(csv.DictReader((tmp_path / f).read_text("utf-8").splitlines()))
                  for f in ("gold.csv", "meta.csv"))
    assert list(gold[0]) == ["file", "code", "applicant_type", "value", "unit", "ambiguous"]
    assert {"file", "agency", "year", "template", "layout", "encoding", "broken"} <= set(meta[0])
    assert len(meta) == 14 and {m["broken"] for m in meta} <= {"", "1"}
    names = {r.name for r in reports}
    assert {g["file"] for g in gold} <= names and all((tmp_path / n).exists() for n in names)
    s2 = [g for g in gold if g["code"].startswith(("s2.", "s4."))]
    assert all(g["applicant_type"] == "" for g in s2)
    assert {g["ambiguous"] for g in gold} <= {"", "yes"}
    assert write_corpus(tmp_path / "again", 12, seed=5, invalid=2)[3].data == reports[3].data


def test_samples_are_consistent_across_years(tmp_path) -> None:
    reports = write_samples(tmp_path / "raw", gold_dir=tmp_path / "gold")
    assert not (tmp_path / "raw" / "gold.csv").exists()
    assert (tmp_path / "gold" / "meta.csv").exists()
    assert sum(r.version == "older" for r in reports) == 2
    by_agency: dict[str, dict[int, dict]] = {}
    for r in reports:
        if r.version != "older":
            assert r.version == ("2019" if r.year <= 2020 else "2021")
            by_agency.setdefault(r.agency, {})[r.year] = r.gold
    assert len(by_agency) == 8
    checked = 0
    for years in by_agency.values():
        assert sorted(years) == list(range(min(years), max(years) + 1))
        for year, gold in years.items():
            prev = years.get(year - 1)
            if prev is None:
                continue
            for (code, applicant), value in gold.items():
                if code == "s3.carried_over":
                    assert (value or 0) == (prev[("s3.carried_forward", applicant)] or 0)
                    checked += 1
                if code.endswith(".in_force") and (code, None) in prev:
                    stem = code.rsplit(".", 1)[0]
                    assert (value or 0) == ((prev[(code, None)] or 0)
                                            + (gold[(f"{stem}.issued", None)] or 0)
                                            - (gold[(f"{stem}.repealed", None)] or 0))
    assert checked > 100


def test_cli_generate(tmp_path) -> None:
    result = CliRunner().invoke(main, ["generate", str(tmp_path), "--n", "3", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gold.csv").exists() and len(list(tmp_path.iterdir())) == 5


def test_same_seed_same_bytes_in_any_process() -> None:
    """Set iteration order changes with PYTHONHASHSEED: the samples must not."""
    script = ("import hashlib; from xxgk.synth import generate_report; "
              "print(hashlib.sha256(b''.join(generate_report(s).data for s in range(30)))"
              ".hexdigest())")
    digests = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "7", "13")
    }
    assert len(digests) == 1
