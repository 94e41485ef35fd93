"""Warehouses for the analyst tests: the bundled samples, and generated series of reports with
cross-year breaks planted where the test says (X1: last year's carried-forward shifted before
this year is drawn from it; X2: last year's rules in force shifted)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import ingest_plain

from xxgk.load import warehouse as wh
from xxgk.synth.report import build_report
from xxgk.template import load

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "raw"
ALIASES = SAMPLES.parent / "agency_aliases.csv"
Planted = dict[tuple[str, int], str]  # (agency, year) -> "X1" | "X2"


def sample_warehouse(folder: Path) -> Path:
    """data/raw ingested (parser for real) into folder/warehouse.duckdb, aliases beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ALIASES, folder / ALIASES.name)
    return warehouse_of(SAMPLES, folder / "warehouse.duckdb")


def _shift(prev: dict, version: str, rule: str, by: int) -> dict:
    """Last year's table with the source cells of `rule` shifted by `by`."""
    shifted = dict(prev)
    for r in load(version).cross_year:
        if r.rule == rule:
            for key in [k for k in prev if k[0] == r.source]:
                shifted[key] = (prev[key] or 0) + by
    return shifted


def planted_corpus(raw: Path, agencies: tuple[str, ...], years: range, planted: Planted,
                   seed: int = 0) -> None:
    """A series of clean pipe-layout reports per agency, breaking only the planted rules."""
    rng = random.Random(seed)
    for agency in agencies:
        prev: dict | None = None
        for year in years:
            rule = planted.get((agency, year))
            version = "2019" if year < 2021 else "2021"
            given = _shift(prev, version, rule, 3) if prev and rule else prev
            report = build_report(random.Random(rng.getrandbits(64)), f"{agency}_{year}",
                                  agency=agency, year=year, layout="pipe", encoding="utf-8",
                                  prev=given, year_in_name=False)
            raw.mkdir(parents=True, exist_ok=True)
            (raw / f"{agency}_{year}.txt").write_bytes(report.data)
            prev = {k: v or 0 for k, v in report.gold.items()}


def warehouse_of(raw: Path, db: Path) -> Path:
    con = wh.connect(db)
    try:
        ingest_plain(raw, con)
    finally:
        con.close()
    return db
