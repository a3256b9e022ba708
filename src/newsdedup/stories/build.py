"""From documents to stories: split multi-story files, mark boilerplate, give each story a title and date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import replace

from newsdedup.model import DateProvenance, Document, Progress, Steps, Story
from newsdedup.stories import dates
from newsdedup.stories.boilerplate import document_boilerplate
from newsdedup.stories.outlet import story_outlet
from newsdedup.stories.outlet_boilerplate import OutletBoilerplateSettings, outlet_boilerplate
from newsdedup.stories.segment import dateline_of, split_stories
from newsdedup.text import words

_SENTENCE = re.compile(r".+?[.!?](?=\s+[\"“‘'(]?[A-Z]|\s*$)", re.DOTALL)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
MAX_TITLE_CHARS = 200
HEADLINE_WORDS = 25  # a first line longer than this is a lede, not a headline: its first sentence stands in


def _title(doc: Document, story_text: str, boiler: list[tuple[int, int]], offset: int, index: int) -> str:
    """The page's own title, else the story's first line of story text; a lede (with its dateline left
    out) gives its first sentence."""
    if index == 0 and doc.title:
        return doc.title
    pos = 0
    for line in story_text.split("\n"):
        s = offset + pos + len(line) - len(line.lstrip())
        pos += len(line) + 1
        stripped = _MARKDOWN_HEADING.sub("", line.strip())
        if not stripped or any(bs <= s < be for bs, be in boiler):
            continue
        dl = dateline_of(stripped)
        rest = stripped[dl.end():].strip() if dl is not None else stripped
        if len(rest.split()) < 3:
            continue  # a dateline on a line of its own is not a headline
        if dl is not None or len(rest.split()) > HEADLINE_WORDS:
            m = _SENTENCE.match(rest)
            rest = m.group().strip() if m else rest
        return rest if len(rest) <= MAX_TITLE_CHARS else rest[:MAX_TITLE_CHARS - 3].rstrip() + "…"
    return ""


def build_stories(documents: tuple[Document, ...], today: dt.date | None = None,
                  across: OutletBoilerplateSettings = OutletBoilerplateSettings(),
                  ) -> Steps[list[Story]]:
    """A stage: the list of stories of every document, in document order.

    Three passes: each document alone (split into stories, its own boilerplate); the corpus (passages
    repeated across an outlet); then each story's title, date and word counts, once all its boilerplate
    is known. Years are inferred last, from the dates of the whole corpus.
    """
    stories: list[Story] = []
    total = len(documents)
    for n, doc in enumerate(documents):
        stories.extend(document_stories(doc))
        if n % 32 == 0 or n + 1 == total:
            yield Progress("stories", n + 1, total)
    stories = yield from outlet_boilerplate(documents, stories, across)
    return _described(documents, stories, today)


def document_stories(doc: Document) -> list[Story]:
    """The first pass, one document alone: its stories, each with the boilerplate found in it alone.

    A workspace keeps this per document, so a rescan does it again only for files that changed."""
    return [Story(story_id=f"{doc.doc_id}#{i}", doc_id=doc.doc_id, story_index=i, start=bounds.start,
                  end=bounds.end, source=doc.source, dateline=bounds.dateline,
                  boilerplate=tuple(document_boilerplate(doc, bounds.start, bounds.end)))
            for i, bounds in enumerate(split_stories(doc.text))]


def describe(doc: Document, story: Story, doc_words, today: dt.date | None
             ) -> tuple[Story, dates.PartialDate | None]:
    """``story`` with its title, date and word counts; and the day-month it names without a year, if it
    has no full date (its year is inferred from the corpus by ``infer_years``). ``doc_words`` is
    ``words(doc.text)``, shared by the stories of one document."""
    text = doc.text[story.start:story.end]
    boiler = [(b.start, b.end) for b in story.boilerplate if not b.kept]
    published, provenance = doc.published, doc.date_provenance
    partial = None
    if published is None:  # a date field of the record or page wins; else the story's head
        # where a date sits on the page (a caption, a stamp) is found by detection; a user's "this is text
        # after all" changes what is compared, not where the page put its date
        furniture = [(b.start - story.start, b.end - story.start) for b in story.boilerplate]
        published, strong = dates.explicit_evidence(text, today, furniture)
        if published is not None and not strong:  # kept unless far from the folder's dates: see infer_years
            partial = dates.PartialDate.pending(published)
            published = None
        provenance = DateProvenance.EXPLICIT if published else DateProvenance.NONE
        if published is None and partial is None:
            partial = dates.partial_date(text, story.dateline, furniture)
    in_story = doc_words.within([(story.start, story.end)])
    source, source_provenance = story_outlet(doc.source, doc.source_provenance, text, story.dateline)
    return replace(story, title=_title(doc, text, boiler, story.start, story.story_index), published=published,
                   date_provenance=provenance, source=source, source_provenance=source_provenance,
                   words=len(in_story),
                   boilerplate_words=len(in_story.within(boiler))), partial


def infer_years(stories: list[Story], partials: list[tuple[int, dates.PartialDate]], today: dt.date | None
                ) -> list[Story]:
    """Stories (by index) dated from what their text holds, once the folder's dates are known: a full date
    of ordinary evidence unless it lies far from every other date of the folder, then a day-month and
    weekday in the year nearest the folder's dates."""
    out = list(stories)
    others = [s.published for s in out if s.published is not None and s.date_provenance
              != DateProvenance.INFERRED]
    pending = [(idx, p) for idx, p in partials if p.year is not None]
    candidates = [dt.date(p.year, p.month, p.day) for _, p in pending if p.year is not None]
    for (idx, _), date, far in zip(pending, candidates, dates.far_from_folder(candidates, others)):
        if not far:
            out[idx] = replace(out[idx], published=date, date_provenance=DateProvenance.EXPLICIT)
    anchors = sorted(s.published for s in out if s.published is not None and s.date_provenance
                     != DateProvenance.INFERRED)
    for idx, partial in partials:
        if partial.year is not None:
            continue
        inferred = dates.infer_year(partial, anchors, today, anchors_sorted=True)
        if inferred is not None:
            out[idx] = replace(out[idx], published=inferred, date_provenance=DateProvenance.INFERRED)
    return out


def _described(documents: tuple[Document, ...], stories: list[Story], today: dt.date | None) -> list[Story]:
    """Stories with their title, date (explicit, then inferred from the corpus) and word counts."""
    out, partials = describe_each({d.doc_id: d for d in documents}, stories, today)
    return infer_years(out, partials, today)


def describe_each(documents: Mapping[str, Document], stories: list[Story], today: dt.date | None
                  ) -> tuple[list[Story], list[tuple[int, dates.PartialDate]]]:
    """``describe`` for each story (in document order, each document tokenised once), and the dates that
    need the whole folder's dates to settle (for ``infer_years``), by the story's place in the list."""
    partials: list[tuple[int, dates.PartialDate]] = []
    out: list[Story] = []
    all_words = None
    for story in stories:
        doc = documents[story.doc_id]
        if story.story_index == 0:
            all_words = words(doc.text)
        described, partial = describe(doc, story, all_words, today)
        if partial is not None:
            partials.append((len(out), partial))
        out.append(described)
    return out, partials
