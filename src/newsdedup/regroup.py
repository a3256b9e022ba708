"""Regrouping a finished scan under new thresholds, without reading a file again.

The desktop app lets a user move the duplicate and event thresholds and see the groups and events change.
``similarities`` scores, once, every pair of stories that LSH finds at the loosest thresholds the controls
offer (``FLOOR_JACCARD``, ``FLOOR_CONTAINMENT``); ``regroup`` then grades those pairs under the new
thresholds and feeds them to the pipeline's tail, which rebuilds the duplicate groups and the events. Both
are stages, like the scan, so they run on the same worker.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from newsdedup.dedup.relations import DuplicateSettings, Scores, find_relations, grade
from newsdedup.events.cluster import EventSettings
from newsdedup.model import Document, Progress, Relation, ScanResult, Steps, reported
from newsdedup.pipeline import tail
from newsdedup.settings import from_dict
from newsdedup.signatures import ShingleSets, shingle_sets, signatures
from newsdedup.stories.clean import clean_words

FLOOR_JACCARD = 0.3  # the lowest near-duplicate threshold the controls offer
FLOOR_CONTAINMENT = 0.1  # the lowest partial-reuse threshold the controls offer


@dataclass(frozen=True)
class Similarities:
    """Every scored pair at the floor thresholds, and the shingle sets the groups are built from."""

    pairs: tuple[Relation, ...]  # kind graded at the floor; scores are what matter
    sets: ShingleSets
    duplicates: DuplicateSettings  # shingle size, permutations and seed the scores were made with

    def jaccards(self) -> np.ndarray:
        """Jaccard of every scored pair: what the similarity histogram shows."""
        return np.fromiter((p.jaccard for p in self.pairs), dtype=float, count=len(self.pairs))


def similarities(result: ScanResult, duplicates: DuplicateSettings = DuplicateSettings()) -> Steps[Similarities]:
    """Score the pairs of ``result``'s stories at the floor thresholds (from the texts it holds)."""
    stories = list(result.stories)
    yield Progress("similarities", 0, len(stories))
    sets = shingle_sets(clean_words(_documents(result), stories), duplicates.shingle_size)
    sigs = signatures(sets, duplicates.num_perm, duplicates.seed)
    loose = dataclasses.replace(
        duplicates,
        near_duplicate_jaccard=min(FLOOR_JACCARD, duplicates.near_duplicate_jaccard),
        partial_reuse_containment=min(FLOOR_CONTAINMENT, duplicates.partial_reuse_containment))
    pairs = yield from reported("similarities", find_relations(stories, sets, sigs, loose))
    yield Progress("similarities", len(stories), len(stories))
    return Similarities(tuple(pairs), sets, duplicates)


def graded(sims: Similarities, duplicates: DuplicateSettings) -> list[Relation]:
    """The scored pairs that are related under ``duplicates``' thresholds, graded by them."""
    out = []
    for p in sims.pairs:
        kind = grade(Scores(p.jaccard, p.containment_a_in_b, p.containment_b_in_a, p.shared_words), duplicates)
        if kind is not None:
            out.append(dataclasses.replace(p, kind=kind))
    return out


def regroup(result: ScanResult, sims: Similarities, duplicates: DuplicateSettings,
            events: EventSettings) -> Steps[ScanResult]:
    """``result`` with relations, duplicate groups and events made again under new thresholds."""
    settings = dataclasses.replace(from_dict(result.settings), duplicates=duplicates, events=events)
    yield Progress("regroup", 0, 1)
    found = yield from tail(_documents(result), result.stories, settings, sets=sims.sets,
                            relations=graded(sims, duplicates))
    yield Progress("regroup", 1, 1)
    return dataclasses.replace(result, relations=found.relations, groups=found.groups, events=found.events,
                               settings=dataclasses.asdict(settings))


def _documents(result: ScanResult) -> dict[str, Document]:
    return {d.doc_id: d for d in result.documents}
