"""Finding stories by what they say: the index behind the window's filter box.

``build_search_index`` is a stage (it yields Progress and returns its value): it reads every story's
title, source, file name and text once, lower-cased, and keeps which stories hold each word as a sparse
matrix (word x story). ``SearchIndex.matching`` then answers a filter in
milliseconds at 50,000 stories: the words of the vocabulary that hold each typed word, and the stories
that hold one of those words, are array operations. Several typed words find the stories that hold all
of them (as a search engine does), wherever they stand.
"""

from __future__ import annotations

import re
from array import array

import numpy as np
import scipy.sparse as sp

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
        self.holds = holds  # CSR matrix: vocabulary word x story, True where the story holds the word

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
        return {self.story_ids[r] for r in np.flatnonzero(self.mask(needle))}

    def mask(self, needle: str) -> np.ndarray:
        """A mask over the result's stories (in their order): those whose title, source, file name or
        text hold every word of ``needle`` (any case). What the window's filter uses: no Python call per
        story."""
        needle = needle.strip().lower()
        parts = _WORD.findall(needle)
        if not parts:
            return np.full(len(self.story_ids), not needle)
        mask = self._stories_with(parts[0])
        for part in parts[1:]:
            mask &= self._stories_with(part)
        return mask


def _haystack(result: ScanResult, story) -> str:
    doc = result.document(story.doc_id)
    return f"{story.title}\n{story.source}\n{doc.path}\n{doc.text[story.start:story.end]}".lower()


def build_search_index(result: ScanResult) -> Steps[SearchIndex]:
    """Read every story once and keep, per word, the stories that hold it (a CSR matrix word x story).

    The postings grow in compact arrays, one story at a time, so a Cancel stops it between chunks and no
    single step holds the interpreter for long (a sparse transpose of the whole matrix did, for most of a
    second at 50,000 stories)."""
    stories = result.stories
    postings: dict[str, array] = {}
    for row, story in enumerate(stories):
        if row % CHUNK == 0:
            yield Progress("index", row, len(stories))
        for word in set(_WORD.findall(_haystack(result, story))):
            found = postings.get(word)
            if found is None:
                found = postings[word] = array("i")
            found.append(row)
    yield Progress("index", len(stories), len(stories))
    vocabulary = list(postings)
    sizes = np.fromiter((len(postings[w]) for w in vocabulary), dtype=np.int64, count=len(vocabulary))
    indptr = np.concatenate(([0], np.cumsum(sizes)))
    indices = (np.concatenate([np.frombuffer(postings[w], dtype=np.int32) for w in vocabulary])
               if vocabulary else np.zeros(0, dtype=np.int32))
    holds = sp.csr_matrix((np.ones(len(indices), dtype=bool), indices, indptr),
                          shape=(len(vocabulary), len(stories)))
    return SearchIndex(result, vocabulary, holds)
