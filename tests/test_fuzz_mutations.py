"""Fuzzing that can fail: real reports (the bundled samples, and ../shared/corpus read in place,
never copied) mutated as crawlers, converters and people mutate them — lines deleted, doubled
or swapped, digits changed, cuts, odd characters, other encodings, a cut mid-character — and
parsed by `parse_unguarded`, the parser below the safety net that turns an exception into
status "error": an exception escaping it fails the test. Each report must take at most 1 s.

Deterministic (derandomized, no example database) and bounded; bench/fuzz_sweep.py runs a
larger seeded sweep and prints counts.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.extract.decode import decode
from xxgk.synth.mutate import ENCODINGS, OPS, Mutation, mutated
from xxgk.transform.parse import parse_unguarded
from xxgk.vocabulary import STATUSES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MAX_SECONDS = 1.0
"""Per report, in CPU time of this process (the machine may be shared): the parser takes
a few ms on a report; a pathological input is what this catches."""
STATUS_WORDS = {s.status for s in STATUSES}


def _texts(paths: list[Path]) -> list[tuple[str, str]]:
    return [(p.name, decode(p.read_bytes()).text) for p in paths]


SAMPLES = _texts(sorted((ROOT / "data" / "raw").iterdir()))
REAL = _texts(sorted([*CORPUS.glob("reports/*.txt"), *CORPUS.glob("realscale/reports/*.txt")]))

_fraction = st.floats(0, 1, exclude_max=True)
_mutations = st.lists(st.builds(Mutation, st.sampled_from(OPS), _fraction, _fraction),
                      min_size=1, max_size=6)
_fuzz = settings(derandomize=True, database=None, deadline=None, max_examples=400,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _parse_in_time(name: str, data: bytes) -> None:
    started = time.process_time()
    report = parse_unguarded(data, name)
    took = time.process_time() - started
    assert report.status in STATUS_WORDS
    assert report.status != "error" or report.error
    assert took <= MAX_SECONDS, f"{name}: {took:.2f} s"


def _check(texts: list[tuple[str, str]], pick: int, mutations: list[Mutation], encoding: str,
           cut: float | None) -> None:
    name, text = texts[pick % len(texts)]
    _parse_in_time(name, mutated(text, mutations, encoding, cut))


@_fuzz
@given(st.integers(0, 10**6), _mutations, st.sampled_from(ENCODINGS), st.none() | _fraction)
def test_mutated_samples_never_crash_the_parser(pick: int, mutations: list[Mutation],
                                                encoding: str, cut: float | None) -> None:
    _check(SAMPLES, pick, mutations, encoding, cut)


@pytest.mark.skipif(not REAL, reason="../shared/corpus not present")
@_fuzz
@given(st.integers(0, 10**6), _mutations, st.sampled_from(ENCODINGS), st.none() | _fraction)
def test_mutated_real_reports_never_crash_the_parser(pick: int, mutations: list[Mutation],
                                                     encoding: str, cut: float | None) -> None:
    _check(REAL, pick, mutations, encoding, cut)


def test_unmutated_sources_parse_and_the_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sources parse as they are; a parser step that raises fails the check."""
    for name, text in SAMPLES[:3] + REAL[:3]:
        _parse_in_time(name, text.encode("utf-8"))

    def boom(*args: object) -> None:
        raise IndexError("bug")

    monkeypatch.setattr("xxgk.transform.parse.read_table", boom)
    name, text = SAMPLES[1]
    with pytest.raises(IndexError):
        _parse_in_time(name, text.encode("utf-8"))
