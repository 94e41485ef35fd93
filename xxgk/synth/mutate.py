"""Mutations of real report texts, for fuzzing the parser with inputs close to what it reads.

A mutation is a small edit a crawler, a converter or a person makes: a line deleted, doubled or
moved, digits changed, the file cut short, an odd character put in, the text saved in another
encoding. `Mutation`s are plain data (op, and where as fractions of the text), so a hypothesis
strategy and a seeded random sweep (bench/fuzz_sweep.py) make the same kinds, and a failing
case prints as something a person can replay.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

OPS = ("delete_line", "duplicate_line", "swap_lines", "change_digits", "cut", "insert")

ODD_TEXT = ("\x00", "\ufeff", "\u200b", "\ufffd", "\u3000", "\t", "\r", "\x0c", "\u202e",
            "\u0301", "｜", "－", "—", "１２", "NaN", "\U0001f600", "年", "（", "）", "|",
            "\n\n", "三、", "(七)总计", "99999999999999999999", "-0", "1e308", "\\")
"""Characters and fragments to insert: controls, invisible and combining marks, full-width
forms, emoji, bidi override, row-label fragments, numbers too big for any cell."""

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be")


@dataclass(frozen=True)
class Mutation:
    op: str
    at: float
    """Where, as a fraction of the lines (or characters, for cut and insert)."""
    other: float = 0.0
    """A second place (swap_lines) or a choice (change_digits: the digit, insert: the text)."""


def _line(lines: list[str], at: float) -> int:
    return min(int(at * len(lines)), len(lines) - 1)


def _change_digits(line: str, choice: float) -> str:
    digit = str(int(choice * 10) % 10)
    return "".join(digit if c.isdigit() and (i + int(choice * 7)) % 3 == 0 else c
                   for i, c in enumerate(line))


def apply(text: str, m: Mutation) -> str:
    """`text` with one mutation applied."""
    if m.op in ("cut", "insert"):
        k = int(m.at * len(text))
        if m.op == "cut":
            return text[:k]
        return text[:k] + ODD_TEXT[int(m.other * len(ODD_TEXT)) % len(ODD_TEXT)] + text[k:]
    lines = text.split("\n")
    i = _line(lines, m.at)
    if m.op == "delete_line":
        del lines[i]
    elif m.op == "duplicate_line":
        lines.insert(i, lines[i])
    elif m.op == "swap_lines":
        j = _line(lines, m.other)
        lines[i], lines[j] = lines[j], lines[i]
    elif m.op == "change_digits":
        lines[i] = _change_digits(lines[i], m.other)
    else:
        raise ValueError(f"unknown mutation {m.op!r}; known: {', '.join(OPS)}")
    return "\n".join(lines)


def mutated(text: str, mutations: Sequence[Mutation], encoding: str = "utf-8",
            cut_bytes: float | None = None) -> bytes:
    """`text` with `mutations` applied in turn, encoded (unencodable characters replaced),
    then cut at a byte (a fraction of the length: maybe mid-character) when `cut_bytes`."""
    for m in mutations:
        text = apply(text, m)
    data = text.encode(encoding, errors="replace")
    return data if cut_bytes is None else data[:int(cut_bytes * len(data))]


def random_mutations(rng: random.Random, most: int = 6) -> list[Mutation]:
    return [Mutation(rng.choice(OPS), rng.random(), rng.random())
            for _ in range(rng.randint(1, most))]
