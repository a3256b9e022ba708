"""From documents to stories: split multi-story files, mark boilerplate, give each story a title and date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from . import dates
from .boilerplate import document_boilerplate
from .model import DateProvenance, Document, Progress, Story
from .segment import dateline_of, split_stories
from .text import words


def _title(doc: Document, story_text: str, boiler: list[tuple[int, int]], offset: int, index: int) -> str:
    if index == 0 and doc.title:
        return doc.title
    pos = 0
    for line in story_text.split("\n"):
        s = offset + pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped or any(bs <= s < be for bs, be in boiler):
            continue
        dl = dateline_of(stripped)
        if dl is not None and len(stripped[dl.end():].split()) < 3:
            continue  # a dateline on a line of its own is not a headline
        return stripped if len(stripped) <= 200 else stripped[:197].rstrip() + "…"
    return ""


def build_stories(documents: tuple[Document, ...], today: dt.date | None = None) -> Iterator[Progress | list[Story]]:
    """Yields Progress, then the list of stories of every document, in document order."""
    stories: list[Story] = []
    partials: list[tuple[int, dates.PartialDate]] = []
    total = len(documents)
    for n, doc in enumerate(documents):
        all_words = words(doc.text)
        for i, bounds in enumerate(split_stories(doc.text)):
            spans = document_boilerplate(doc, bounds.start, bounds.end)
            text = doc.text[bounds.start:bounds.end]
            boiler = [(b.start, b.end) for b in spans]
            published, provenance = doc.published, doc.date_provenance
            if published is None:
                published = dates.explicit_date(text, today)
                provenance = DateProvenance.EXPLICIT if published else DateProvenance.NONE
                if published is None:
                    partial = dates.partial_date(text)
                    if partial is not None:
                        partials.append((len(stories), partial))
            story_id = f"{doc.doc_id}#{i}"
            in_story = all_words.within([(bounds.start, bounds.end)])
            stories.append(Story(
                story_id=story_id, doc_id=doc.doc_id, story_index=i, start=bounds.start, end=bounds.end,
                title=_title(doc, text, boiler, bounds.start, i), source=doc.source, published=published,
                date_provenance=provenance, boilerplate=tuple(spans), dateline=bounds.dateline,
                words=len(in_story), boilerplate_words=len(in_story.within(boiler))))
        if n % 32 == 0 or n + 1 == total:
            yield Progress("stories", n + 1, total)
    anchors = [s.published for s in stories if s.published is not None]
    for idx, partial in partials:
        inferred = dates.infer_year(partial, anchors, today)
        if inferred is not None:
            stories[idx] = replace(stories[idx], published=inferred, date_provenance=DateProvenance.INFERRED)
    yield stories
