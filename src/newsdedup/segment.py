"""Splitting files that hold several stories into stories.

Aggregator pages and saved feeds run stories together. A wire dateline ("BRUSSELS (AP) —",
"Brussels, December 2 (European Press) –", "SAO PAULO, Feb 26 -") opens a story; when one appears after a
story has already opened with its own and run for a while, a new story begins there, taking with it a
headline line standing just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .paragraphs import Paragraph, paragraphs

_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_PLACE = r"(?:[A-Z][A-Z.'\-]+(?:\s[A-Z][A-Z.'\-]+){0,3}|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})"
DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    rf"(?:,\s*{_MONTH}\s+\d{{1,2}})?"
    r"(?:,\s*[A-Z][a-z]+)?"  # a country or state after the city
    r"\s*(?:\((?P<agency>[A-Z][\w .&'-]{0,40})\))?"
    r"\s*[—–-]"
)
MIN_STORY_WORDS = 80


@dataclass(frozen=True)
class StoryBounds:
    start: int
    end: int
    dateline: str = ""


def dateline_of(text: str) -> re.Match | None:
    """The dateline opening ``text``, if it has one with an agency or a date (not any 'Word -')."""
    m = DATELINE.match(text)
    if not m:
        return None
    has_date = bool(re.search(_MONTH + r"\s+\d", m.group()))
    if m.group("agency") or has_date or m.group("place").isupper():
        return m
    return None


def _words(text: str) -> int:
    return len(text.split())


def split_stories(text: str) -> list[StoryBounds]:
    """Story bounds within ``text``; a single-story text gives one story covering all of it."""
    paras = paragraphs(text)
    if not paras:
        return [StoryBounds(0, len(text))]
    cuts: list[tuple[int, str]] = []  # (paragraph index where a story starts, dateline)
    seen_dateline = False
    words_since = 0
    for i, p in enumerate(paras):
        body = text[p.start:p.end]
        m = dateline_of(body)
        if m:
            if seen_dateline and words_since >= MIN_STORY_WORDS:
                start_at = i
                prev = paras[i - 1] if i else None
                if prev is not None and _is_headline(text[prev.start:prev.end]):
                    start_at = i - 1
                cuts.append((start_at, m.group().rstrip(" —–-")))
                words_since = 0
            elif not seen_dateline:
                cuts.append((0, m.group().rstrip(" —–-")))
            seen_dateline = True
        words_since += _words(body) if seen_dateline else 0
    if not cuts:
        return [StoryBounds(0, len(text))]
    bounds: list[StoryBounds] = []
    starts = [0] + [paras[idx].start for idx, _ in cuts[1:]]
    ends = starts[1:] + [len(text)]
    for (_, dl), s, e in zip(cuts, starts, ends, strict=True):
        bounds.append(StoryBounds(s, e, dl))
    return bounds


def _is_headline(line: str) -> bool:
    return 3 <= _words(line) <= 20 and not line.rstrip().endswith((".", ")", ":", '"', "”"))


__all__ = ["Paragraph", "StoryBounds", "dateline_of", "split_stories"]
