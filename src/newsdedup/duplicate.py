"""Near-duplicates, partial reuse and duplicate groups.

Candidates come from datasketch LSH over the stories' MinHash signatures (MinHashLSH for Jaccard,
MinHashLSHEnsemble for containment), with thresholds below the report thresholds so that pairs at the
report thresholds are not lost; every candidate is then verified exactly on its shingle sets before it
is reported. Duplicate groups are the connected exact and near-duplicate relations, each under a
canonical member: the earliest dated, else the longest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from datasketch import MinHashLSH, MinHashLSHEnsemble

from .model import DuplicateGroup, Progress, Relation, Story
from .signatures import ShingleSets, lean

EXACT = "exact"
NEAR_DUPLICATE = "near_duplicate"
PARTIAL_REUSE = "partial_reuse"


@dataclass(frozen=True)
class DuplicateSettings:
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    near_duplicate_jaccard: float = 0.8
    partial_reuse_containment: float = 0.2
    min_shingles: int = 10  # shorter stories are too small to call reuse on
    candidate_slack: float = 0.6  # LSH thresholds are this share of the report thresholds


@dataclass(frozen=True)
class Scores:
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    shared: int


def exact_scores(a: np.ndarray, b: np.ndarray) -> Scores:
    """Jaccard and containments of two sorted unique shingle arrays."""
    if len(a) == 0 or len(b) == 0:
        return Scores(0.0, 0.0, 0.0, 0)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - shared
    return Scores(shared / union, shared / len(a), shared / len(b), shared)


def grade(scores: Scores, settings: DuplicateSettings) -> str | None:
    if scores.jaccard >= 1.0:
        return EXACT
    if scores.jaccard >= settings.near_duplicate_jaccard:
        return NEAR_DUPLICATE
    if max(scores.containment_a_in_b, scores.containment_b_in_a) >= settings.partial_reuse_containment:
        return PARTIAL_REUSE
    return None


def candidate_pairs(sets: ShingleSets, sigs: np.ndarray, settings: DuplicateSettings) -> Iterator[Progress | set]:
    """Pairs of story indices (i < j) that LSH says may be related."""
    n = len(sigs)
    sizes = sets.sizes()
    usable = [i for i in range(n) if sizes[i] >= settings.min_shingles]
    pairs: set[tuple[int, int]] = set()
    if len(usable) < 2:
        yield pairs
        return
    mh = {i: lean(sigs[i], settings.seed) for i in usable}
    lsh = MinHashLSH(threshold=settings.near_duplicate_jaccard * settings.candidate_slack,
                     num_perm=settings.num_perm, weights=(0.2, 0.8))
    with lsh.insertion_session() as session:
        for i in usable:
            session.insert(i, mh[i], check_duplication=False)
    ensemble = MinHashLSHEnsemble(threshold=settings.partial_reuse_containment * settings.candidate_slack,
                                  num_perm=settings.num_perm, num_part=16, weights=(0.2, 0.8))
    ensemble.index((i, mh[i], int(sizes[i])) for i in usable)
    for k, i in enumerate(usable):
        for j in lsh.query(mh[i]):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
        for j in ensemble.query(mh[i], int(sizes[i])):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
        if k % 256 == 0:
            yield Progress("candidates", k + 1, len(usable))
    yield pairs


def find_relations(stories: list[Story], sets: ShingleSets, sigs: np.ndarray,
                   settings: DuplicateSettings) -> Iterator[Progress | list[Relation]]:
    pairs: set = set()
    for item in candidate_pairs(sets, sigs, settings):
        if isinstance(item, Progress):
            yield item
        else:
            pairs = item
    relations: list[Relation] = []
    for k, (i, j) in enumerate(sorted(pairs)):
        scores = exact_scores(sets.of(i), sets.of(j))
        kind = grade(scores, settings)
        if kind is not None:
            relations.append(Relation(stories[i].story_id, stories[j].story_id, kind, scores.jaccard,
                                      scores.containment_a_in_b, scores.containment_b_in_a, scores.shared))
        if k % 1024 == 0:
            yield Progress("verify", k + 1, len(pairs))
    yield relations


def _canonical_key(story: Story, size: int) -> tuple:
    # earliest dated first; undated after every dated story; then the longest; then a stable order
    return (story.published is None, story.published or dt.date.max, -size, story.story_id)


def duplicate_groups(stories: list[Story], sets: ShingleSets, relations: list[Relation]) -> list[DuplicateGroup]:
    """Every story in exactly one group; copies (exact or near-duplicate) share one."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    parent = list(range(len(stories)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        if r.kind in (EXACT, NEAR_DUPLICATE):
            a, b = find(index[r.story_a]), find(index[r.story_b])
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(len(stories)):
        members.setdefault(find(i), []).append(i)
    sizes = sets.sizes()
    groups: list[DuplicateGroup] = []
    for gid, idxs in enumerate(sorted(members.values(), key=lambda m: m[0])):
        ordered = sorted(idxs, key=lambda i: _canonical_key(stories[i], int(sizes[i])))
        canon = ordered[0]
        scores = [("canonical", 1.0, 1.0)]
        for i in ordered[1:]:
            sc = exact_scores(sets.of(i), sets.of(canon))
            scores.append((EXACT if sc.jaccard >= 1.0 else NEAR_DUPLICATE, sc.jaccard, sc.containment_a_in_b))
        groups.append(DuplicateGroup(gid, stories[canon].story_id,
                                     tuple(stories[i].story_id for i in ordered), tuple(scores)))
    return groups
