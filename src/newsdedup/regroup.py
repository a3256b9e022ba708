"""Regrouping a finished scan under new thresholds, without reading a file again.

The desktop app lets a user move the duplicate and event thresholds and see the groups and events change.
``similarities`` makes the stories' shingle sets and signatures once, and scores the pairs found at the
loosest thresholds the controls offer (``FLOOR_JACCARD``, ``FLOOR_CONTAINMENT``) for the histogram;
``regroup`` then finds the relations again from those sets under the new thresholds (copies are kept
against their group's canonical member, so the floor's pairs are not every pair a stricter line needs),
rebuilds the duplicate groups and clusters the events again. Both are generators of Progress,
like the scan, and return their value as StopIteration.value, so they run on the same worker.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from newsdedup.dedup.passages import story_words
from newsdedup.dedup.relations import DuplicateSettings, FoundRelations, duplicate_groups, find_relations
from newsdedup.dedup.shared import frequency_bytes
from newsdedup.dedup.signatures import ShingleSets, shingle_sets, signatures
from newsdedup.events.cluster import EventSettings, cluster_events
from newsdedup.model import Progress, Relation, ScanResult

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


def similarities(result: ScanResult, duplicates: DuplicateSettings = DuplicateSettings()
                 ) -> Generator[Progress, None, Similarities]:
    """Score the pairs of ``result``'s stories at the floor thresholds (from the texts it holds)."""
    stories = list(result.stories)
    yield Progress("similarities", 0, len(stories))
    sets = shingle_sets([story_words(result, s) for s in stories], duplicates.shingle_size)
    sigs = signatures(sets, duplicates.num_perm, duplicates.seed)
    loose = dataclasses.replace(
        duplicates,
        near_duplicate_jaccard=min(FLOOR_JACCARD, duplicates.near_duplicate_jaccard),
        partial_reuse_containment=min(FLOOR_CONTAINMENT, duplicates.partial_reuse_containment))
    pairs: list[Relation] = []
    for item in find_relations(stories, sets, sigs, loose):
        if isinstance(item, Progress):
            yield Progress("similarities", item.done, item.total)  # one stage to the user, not a rerun
        else:
            pairs = item.relations
    yield Progress("similarities", len(stories), len(stories))
    return Similarities(tuple(pairs), sets, sigs, duplicates)


def graded(result: ScanResult, sims: Similarities, duplicates: DuplicateSettings
           ) -> Generator[Progress, None, FoundRelations]:
    """The relations under ``duplicates``' thresholds, found again from the kept sets and signatures."""
    found = None
    for item in find_relations(list(result.stories), sims.sets, sims.signatures, duplicates):
        if isinstance(item, Progress):
            yield item
        else:
            found = item
    return found


def regroup(result: ScanResult, sims: Similarities, duplicates: DuplicateSettings,
            events: EventSettings) -> Generator[Progress, None, ScanResult]:
    """``result`` with relations, duplicate groups and events made again under new thresholds."""
    stories = list(result.stories)
    yield Progress("regroup", 0, 1)
    found = yield from graded(result, sims, duplicates)
    relations = found.relations
    groups = duplicate_groups(stories, sims.sets, relations, duplicates)
    texts = [result.clean_text(s) for s in stories]
    clustered: list = []
    for item in cluster_events(stories, texts, groups, events):
        if isinstance(item, Progress):
            yield item
        else:
            clustered = item
    settings = dict(result.settings)
    settings["duplicates"] = dataclasses.asdict(duplicates)
    settings["events"] = dataclasses.asdict(events)
    yield Progress("regroup", 1, 1)
    return dataclasses.replace(result, relations=tuple(relations), groups=tuple(groups), events=tuple(clustered),
                               settings=settings, common_phrases=frequency_bytes(found.common))
