"""Splitting files that hold several stories into stories.

Aggregator pages and saved feeds run stories together. A wire dateline ("BRUSSELS (AP) —",
"Brussels, December 2 (European Press) –", "PORTLAND, Ore., Feb 26 -") opens a story; when one with an
agency or a date appears after a story has already opened with a dateline and run for a while, a new story
begins there, taking with it a headline line standing just before it. A bare "BRUSSELS —" names the place
of a story's opening but never splits a file: lists of "NAME - description" lines look just like it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdedup.stories.paragraphs import Paragraph, paragraphs

_MONTH = r"(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-zA-Z]*\.?"
_PLACE = r"(?:[A-Z][A-Z.'\-]+(?:[ ][A-Z][A-Z.'\-]+){0,3}|[A-Z][a-z]+(?:[ ][A-Z][a-z]+){0,2})"
# a state, province or country after the city: "Ore.", "N.Y.", "W.Va.", "Calif.", "Ukraine", "Ontario"
_REGION = r"[A-Z][A-Za-z]{0,14}\.?(?:[ ]?[A-Z][A-Za-z]{0,14}\.?)?"
DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    rf"(?:,[ \t]*{_REGION})?"
    rf"(?:,?[ \t]*(?P<date>{_MONTH}[ \t]+\d{{1,2}}))?"
    r"(?:,[ \t]*[A-Z][a-z]+)?"  # a country after the date
    r"[ \t]*(?:\((?P<agency>[A-Z][\w .&'-]{0,40})\))?"
    r"[ \t]*(?:--|[—–-])(?=\s|$)"
)
MIN_STORY_WORDS = 25


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
    if _is_strong(m) or m.group("place").isupper():
        return m
    return None


def _is_strong(m: re.Match) -> bool:
    """A dateline with an agency or a date: only these may open a second story in a file, as a line
    like "PC - an IBM compatible" in a list is no story's start."""
    return bool(m.group("agency") or m.group("date"))


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
            if seen_dateline and words_since >= MIN_STORY_WORDS and _is_strong(m):
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
