"""A story's clean text (boilerplate out), as the later stages read it: words for signatures, text for events.

Each document is tokenised once, however many stories it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import overload

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


class CleanTexts(Sequence[str]):
    """Each story's clean text, one line per clean range, made when asked for: the events stage reads only
    the texts of the stories that stand for their duplicate groups, so the others are never made (at 200k
    stories, half a gigabyte not held)."""

    def __init__(self, documents: Mapping[str, Document], stories: Sequence[Story]):
        self._documents, self._stories = documents, stories

    def __len__(self) -> int:
        return len(self._stories)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        story = self._stories[i]
        return story.clean_text(self._documents[story.doc_id].text)


def clean_texts(documents: Mapping[str, Document], stories: Sequence[Story]) -> Sequence[str]:
    """Each story's clean text, one line per clean range (made when read: see ``CleanTexts``)."""
    return CleanTexts(documents, stories)
