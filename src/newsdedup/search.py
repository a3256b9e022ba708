"""Finding stories by what they say: the index behind the window's filter box.

``build_search_index`` is a stage (it yields Progress and returns its value): it reads every story's
title, source, file name and text once, lower-cased, and keeps which words each story holds as a sparse
matrix (scikit-learn's ``CountVectorizer``, binary). ``SearchIndex.matching`` then answers a filter in
milliseconds at 50,000 stories: the words of the vocabulary that hold each typed word, and the stories
that hold one of those words, are array operations. Several typed words find the stories that hold all
of them (as a search engine does), wherever they stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from newsdedup.model import Progress, ScanResult, Steps

CHUNK = 2000  # stories read between two progress reports
_WORD = re.compile(r"\w+")


class SearchIndex:
    def __init__(self, result: ScanResult, vocabulary: list[str], holds) -> None:
        self.result = result
        self.story_ids = [s.story_id for s in result.stories]
        self.vocabulary = vocabulary
        self._words = "\n" + "\n".join(vocabulary) + "\n"  # one string: ``in`` and ``find`` run in C
        self._starts = np.cumsum([0] + [len(w) + 1 for w in vocabulary])  # where each word begins in it
        self.holds = holds  # CSC matrix: vocabulary word x story, True where the story holds the word

    def _word_ids(self, part: str) -> np.ndarray:
        """The vocabulary words that hold ``part``."""
        found, at = [], self._words.find(part)
        while at >= 0:
            found.append(at)
            at = self._words.find(part, at + 1)
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.searchsorted(self._starts, np.asarray(found), side="right") - 1)

    def _stories_with(self, part: str) -> np.ndarray:
        """A mask over the stories: those holding a word that holds ``part``."""
        mask = np.zeros(len(self.story_ids), dtype=bool)
        ids = self._word_ids(part)
        if len(ids):
            mask[self.holds[ids].indices] = True
        return mask

    def matching(self, needle: str) -> set[str]:
        """Ids of the stories whose title, source, file name or text hold ``needle`` (any case)."""
        needle = needle.strip().lower()
        parts = _WORD.findall(needle)
        if not parts:
            return set(self.story_ids) if not needle else set()
        mask = self._stories_with(parts[0])
        for part in parts[1:]:
            mask &= self._stories_with(part)
        return {self.story_ids[r] for r in np.flatnonzero(mask)}


def _haystack(result: ScanResult, story) -> str:
    doc = result.document(story.doc_id)
    return f"{story.title}\n{story.source}\n{doc.path}\n{doc.text[story.start:story.end]}".lower()


def build_search_index(result: ScanResult) -> Steps[SearchIndex]:
    """Read every story once and keep which words it holds."""
    stories = result.stories
    progress: list[Progress] = []

    def texts() -> Iterator[str]:
        for n, story in enumerate(stories):
            if n % CHUNK == 0:
                progress.append(Progress("index", n, len(stories)))
            yield _haystack(result, story)

    yield Progress("index", 0, len(stories))
    if not stories:
        return SearchIndex(result, [], np.zeros((0, 0), dtype=bool))
    vectorizer = CountVectorizer(binary=True, lowercase=False, token_pattern=r"\w+", dtype=np.bool_)
    holds = vectorizer.fit_transform(texts())  # story x word
    yield from progress
    vocabulary = vectorizer.get_feature_names_out().tolist()
    yield Progress("index", len(stories), len(stories))
    return SearchIndex(result, vocabulary, holds.T.tocsr())
