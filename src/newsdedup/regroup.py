"""Regrouping a finished scan under new thresholds, without reading a file again.

The desktop app lets a user move the duplicate and event thresholds and see the groups and events change.
``similarities`` makes the stories' shingle sets and signatures once, and scores the pairs found at the
loosest thresholds the controls offer (``FLOOR_JACCARD``, ``FLOOR_CONTAINMENT``) for the histogram;
``regroup`` feeds the sets and signatures to the pipeline's tail, which finds the relations again under the
new thresholds (copies are kept against their group's original, so the floor's pairs are not every pair a
stricter line needs) and rebuilds the duplicate groups and the events. Both are stages, like the scan, so
they run on the same worker.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from newsdedup.dedup.relations import DuplicateSettings, find_relations
from newsdedup.dedup.shared import frequency_bytes
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
    signatures: np.ndarray
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
    found = yield from reported("similarities", find_relations(stories, sets, sigs, loose))
    yield Progress("similarities", len(stories), len(stories))
    return Similarities(tuple(found.relations), sets, sigs, duplicates)


def regroup(result: ScanResult, sims: Similarities, duplicates: DuplicateSettings,
            events: EventSettings) -> Steps[ScanResult]:
    """``result`` with relations, duplicate groups and events made again under new thresholds."""
    settings = dataclasses.replace(from_dict(result.settings), duplicates=duplicates, events=events)
    yield Progress("regroup", 0, 1)
    same = all(getattr(duplicates, f) == getattr(sims.duplicates, f) for f in ("shingle_size", "num_perm", "seed"))
    found = yield from tail(_documents(result), result.stories, settings, sets=sims.sets if same else None,
                            sigs=sims.signatures if same else None)
    yield Progress("regroup", 1, 1)
    return dataclasses.replace(result, relations=found.relations, groups=found.groups, events=found.events,
                               settings=dataclasses.asdict(settings), common_phrases=frequency_bytes(found.common))


def _documents(result: ScanResult) -> dict[str, Document]:
    return {d.doc_id: d for d in result.documents}
