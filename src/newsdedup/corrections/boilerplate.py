"""The user's boilerplate decisions applied to stories' spans, before signatures and event vectors.

``TextAfterAll`` keeps a span but marks it ``kept`` (story text again: compared, counted, shown as text,
and the viewer can still show it was boilerplate); ``AlwaysBoilerplate`` adds a span of kind
``MARKED_BY_USER`` over every paragraph of the outlet's stories whose normalised text is the passage.
``applied`` first undoes earlier applications (kept flags off, the user's spans out), so it can be run on
a result that already carries decisions, with some of them since removed (undo), and gives the same
spans as on the result as found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from newsdedup.corrections.decisions import AlwaysBoilerplate, Decision, TextAfterAll, passage_key
from newsdedup.model import BoilerplateSpan, Document, Story
from newsdedup.stories.build import describe
from newsdedup.stories.paragraphs import paragraphs
from newsdedup.text import words

MARKED_BY_USER = "marked_by_user"


def as_found(story: Story) -> Story:
    """``story`` with no decision applied to its spans."""
    if not any(b.kept or b.kind == MARKED_BY_USER for b in story.boilerplate):
        return story
    spans = tuple(replace(b, kept=False) for b in story.boilerplate if b.kind != MARKED_BY_USER)
    return replace(story, boilerplate=spans)


def _keep(story: Story, doc: Document, d: TextAfterAll) -> Story | None:
    spans = list(story.boilerplate)
    at = [i for i, b in enumerate(spans) if (b.start, b.end) == (d.start, d.end)
          and (not d.text or passage_key(doc.text[b.start:b.end]) == d.text)]
    if not at and d.text:  # the file was edited and the offsets moved: find the passage by its text
        at = [i for i, b in enumerate(spans) if passage_key(doc.text[b.start:b.end]) == d.text]
    if not at:
        return None
    for i in at:
        spans[i] = replace(spans[i], kept=True)
    return replace(story, boilerplate=tuple(spans))


def _mark(story: Story, doc: Document, d: AlwaysBoilerplate) -> Story | None:
    n = len(d.text)
    # lengths first (normalising keeps a passage's length within a factor of two), then the text
    found = [p for p in paragraphs(doc.text, story.start, story.end)
             if n // 2 <= p.end - p.start <= 2 * n + 8 and passage_key(doc.text[p.start:p.end]) == d.text]
    if not found:
        return None
    spans = {(b.start, b.end): b for b in story.boilerplate}
    for p in found:
        old = spans.get((p.start, p.end))
        spans[(p.start, p.end)] = replace(old, kept=False) if old else BoilerplateSpan(p.start, p.end,
                                                                                      MARKED_BY_USER, 1)
    return replace(story, boilerplate=tuple(sorted(spans.values(), key=lambda b: b.start)))


def applied(stories: list[Story], documents: Mapping[str, Document], decisions: list[Decision]
            ) -> tuple[list[Story], dict[str, set[str]]]:
    """Stories with the boilerplate decisions applied (later decisions win), and per story id the edit
    words of the decisions that changed it. Stories no decision touches are the very objects given."""
    out = [as_found(s) for s in stories]
    index = {s.story_id: i for i, s in enumerate(out)}
    edits: dict[str, set[str]] = {}
    for d in decisions:
        if isinstance(d, TextAfterAll) and d.story_id in index:
            i = index[d.story_id]
            changed = _keep(out[i], documents[out[i].doc_id], d)
            if changed is not None:
                out[i] = changed
                edits.setdefault(d.story_id, set()).add("text_after_all")
        elif isinstance(d, AlwaysBoilerplate) and d.text:
            for i, s in enumerate(out):
                if s.source == d.outlet:
                    changed = _mark(s, documents[s.doc_id], d)
                    if changed is not None:
                        out[i] = changed
                        edits.setdefault(s.story_id, set()).add("always_boilerplate")
    return out, edits


def redescribed(story: Story, doc: Document) -> Story:
    """``story`` with the title and boilerplate word count its spans now give (its date stays)."""
    fresh, _ = describe(doc, story, words(doc.text), None)
    return replace(story, title=fresh.title, boilerplate_words=fresh.boilerplate_words)
