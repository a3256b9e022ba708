"""Per partition, what the duplicates and events stages read: shingle sets and MinHash signatures of the
stories' clean text (``shingle_sets`` and ``signatures`` are per story, so a part's rows are the local rows),
and the clean text of the stories that stand for their duplicate groups in the events stage, with its word
counts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from newsdedup.cluster.partitions import Part
from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events import cluster as event_stage
from newsdedup.events.cluster import EventSettings, FolderCounts, folder_counts
from newsdedup.events.subjects import names_seen
from newsdedup.signatures import shingle_sets, signatures
from newsdedup.stories.clean import clean_texts, clean_words


def sign_part(part: Part, offset: int, settings: DuplicateSettings) -> Part:
    """The part's shingle sets and MinHash signatures, computed as the local scan computes them."""
    sets = shingle_sets(clean_words(part.by_doc(), part.stories), settings.shingle_size)
    return replace(part, offset=offset, sets=sets, sigs=signatures(sets, settings.num_perm, settings.seed))


def set_sizes(part: Part) -> np.ndarray:
    """Shingles per story of the part."""
    return part.sets.sizes()


def representative_texts(part: Part, wanted: np.ndarray) -> list[str]:
    """The clean text (boilerplate out) of the part's stories numbered ``wanted`` (scan-wide numbers)."""
    return list(clean_texts(part.by_doc(), [part.stories[g - part.offset] for g in wanted.tolist()]))


def word_counts(part: Part, wanted: np.ndarray, settings: EventSettings) -> FolderCounts:
    """The word counts of the part's stories numbered ``wanted`` as the events stage reads them (title and
    clean text), and the headline names seen beside tickers in them, to be summed into the whole folder's."""
    stories = [part.stories[g - part.offset] for g in wanted.tolist()]
    texts = list(clean_texts(part.by_doc(), stories))
    counts = folder_counts(event_stage.representative_texts(stories, texts, list(range(len(stories))), settings))
    return replace(counts, names=names_seen([s.title + "\n" + t for s, t in zip(stories, texts)]))


def summed(*counts: FolderCounts) -> FolderCounts:
    total = FolderCounts({}, 0, 0)
    for c in counts:
        total = total + c
    return total
