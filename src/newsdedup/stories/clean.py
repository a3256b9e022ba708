"""A story's clean text (boilerplate out), as the later stages read it: words for signatures, text for events.

Each document is tokenised once, however many stories it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsdedup.model import Document, Story
from newsdedup.text import Words, words


def clean_words(documents: Mapping[str, Document], stories: Sequence[Story]) -> list[Words]:
    """The words of each story's clean text, with spans in its document's text."""
    out: list[Words] = []
    doc_id, doc_words = "", words("")
    for story in stories:
        if story.doc_id != doc_id:
            doc_id, doc_words = story.doc_id, words(documents[story.doc_id].text)
        out.append(doc_words.within(story.clean_ranges()))
    return out


def clean_texts(documents: Mapping[str, Document], stories: Sequence[Story]) -> list[str]:
    """Each story's clean text, one line per clean range."""
    return [s.clean_text(documents[s.doc_id].text) for s in stories]
