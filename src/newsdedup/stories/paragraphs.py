"""Paragraphs of a document as character spans: the unit boilerplate and segmentation reason about.

Web copies put one paragraph on each line; newswire and Usenet text is hard-wrapped, one paragraph per
block of lines, a block ending at a blank line or where the next line is indented (newswire indents the
first line of each paragraph instead of leaving a blank line). A document is treated as hard-wrapped when most of its lines in multi-line blocks break
near one width, so that a short last line of a wrapped paragraph is never mistaken for page furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_INDENTED_SPLIT = re.compile(r"\n[ \t]*\n|\n(?=[ \t]+\S)")
_INDENTED_LINE = re.compile(r"^[ \t]+\S", re.MULTILINE)
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int  # exclusive, trailing whitespace trimmed


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + len(chunk.rstrip())


def is_hard_wrapped(text: str) -> bool:
    lengths = [len(line.rstrip()) for line in text.split("\n") if line.strip()]
    if len(lengths) < 6:
        return False
    long_lines = sorted(n for n in lengths if n >= 40)
    if len(long_lines) < 0.5 * len(lengths):
        return False
    # Wrapped text breaks every line at about the same width and never runs far past it.
    p90 = long_lines[int(0.9 * (len(long_lines) - 1))]
    return bool(p90 <= 100 and _spread_below(long_lines, 15))


def _spread_below(values: list[int], limit: int) -> bool:
    """``np.std(values) < limit``, in exact integer arithmetic (n * sum(x^2) - sum(x)^2 against
    (limit * n)^2): a document's few lines are quicker so than in NumPy. Within a hair of the limit, NumPy
    decides, so the answer is NumPy's to the last bit."""
    n, total = len(values), sum(values)
    spread = n * sum(v * v for v in values) - total * total - (limit * n) ** 2
    if abs(spread) <= (limit * n) ** 2 // 10**6:
        return bool(np.std(np.asarray(values, dtype=np.int64)) < limit)
    return spread < 0


def _block_split(region: str) -> re.Pattern:
    """Blank lines end a block; so does an indented line, unless most lines are indented anyway."""
    lines = region.count("\n") + 1
    indented = len(_INDENTED_LINE.findall(region))
    return _INDENTED_SPLIT if indented < 0.5 * lines else _BLOCK_SPLIT


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Paragraph spans of ``text[start:end]`` (document offsets)."""
    return list(_paragraphs(text, start, len(text) if end is None else end))


@lru_cache(maxsize=64)  # segmentation, boilerplate and the cross-outlet pass ask for the same story's
def _paragraphs(text: str, start: int, end: int) -> tuple[Paragraph, ...]:
    region = text[start:end]
    out: list[Paragraph] = []
    if is_hard_wrapped(region):
        pos = 0
        for m in _block_split(region).finditer(region):
            s, e = _trimmed(region, pos, m.start())
            if e > s:
                out.append(Paragraph(start + s, start + e))
            pos = m.end()
        s, e = _trimmed(region, pos, len(region))
        if e > s:
            out.append(Paragraph(start + s, start + e))
        return tuple(out)
    for m in _LINE.finditer(region):
        s, e = _trimmed(region, m.start(), m.end())
        if e > s:
            out.append(Paragraph(start + s, start + e))
    return tuple(out)
