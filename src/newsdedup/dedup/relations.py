"""Near-duplicates, partial reuse and duplicate groups.

Candidates come in bulk from ``candidates``: the bands of datasketch MinHashLSH over the stories' MinHash
signatures (near-duplicates), and bottom-k shingle samples looked up in every story (partial reuse: a
short story quoted by a long one has a tiny Jaccard, which whole-story MinHash cannot see). Both are set
so that a pair at the report thresholds is not lost (see ``DuplicateSettings``), and every candidate is
verified exactly on its shingle sets before it is reported. Duplicate groups are the connected exact and
near-duplicate relations, each under a canonical member: the earliest dated, else the longest.

Defaults, measured with benchmarks/dedup.py on ../shared/eval and the seeds: 5-word shingles and
containment 0.2 keep the seeds' wire rewrite (000 in 001: 0.23-0.24) above the line and their
independent reports of the same briefing (at most 0.06) below it; 4-word shingles let paraphrases share
twice as much, 6-word ones bring the rewrite down to 0.21.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsdedup.dedup.candidates import SampleMatches, lsh_bands, lsh_pairs, sample_pairs
from newsdedup.model import DuplicateGroup, Progress, Relation, Steps, Story
from newsdedup.signatures import ShingleSets

EXACT = "exact"
NEAR_DUPLICATE = "near_duplicate"
PARTIAL_REUSE = "partial_reuse"
LINKED = "linked"  # in a duplicate group only through other copies


@dataclass(frozen=True)
class DuplicateSettings:
    shingle_size: int = 5
    num_perm: int = 64  # LSH gets 17 bands of 3: a pair at Jaccard 0.8 is lost with p = 5e-6; half the cost of 128
    seed: int = 1
    near_duplicate_jaccard: float = 0.8
    partial_reuse_containment: float = 0.2
    # and the two share at least this many 5-word runs (as much as one 8-word passage): a stock phrase or a formula
    # headline ("ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE...") shared by two short stories is no reuse
    reuse_min_shingles: int = 4
    min_shingles: int = 10  # shorter stories are too small to call reuse on
    candidate_slack: float = 0.6  # the near-duplicate LSH threshold is this share of the report threshold
    lsh_weights: tuple[float, float] = (0.2, 0.8)  # MinHashLSH's (false positive, false negative) weights
    reuse_sample: int = 256  # bottom-k shingles per story looked up for partial reuse
    miss_probability: float = 1e-3  # at most this chance of losing a pair at the partial-reuse threshold


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
    if (max(scores.containment_a_in_b, scores.containment_b_in_a) >= settings.partial_reuse_containment
            and scores.shared >= settings.reuse_min_shingles):
        return PARTIAL_REUSE
    return None


def candidate_pairs(sets: ShingleSets, sigs: np.ndarray, settings: DuplicateSettings) -> SampleMatches:
    """Pairs of story indices (i < j) that may be related: LSH for near-duplicates, samples for reuse."""
    usable = sets.sizes() >= settings.min_shingles
    if usable.sum() < 2:
        return SampleMatches(np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64))
    bands = lsh_bands(settings.near_duplicate_jaccard * settings.candidate_slack, settings.num_perm,
                      settings.lsh_weights)
    near = lsh_pairs(sigs, usable, bands)
    reuse = sample_pairs(sets, usable, settings.reuse_sample, settings.partial_reuse_containment,
                         settings.miss_probability)
    width = len(usable)
    reuse_keys = reuse.pairs[:, 0] * width + reuse.pairs[:, 1]  # sorted: sample_pairs returns them in order
    near_keys = near[:, 0] * width + near[:, 1]
    at = np.searchsorted(reuse_keys, near_keys).clip(0, max(len(reuse_keys) - 1, 0))
    known = reuse_keys[at] == near_keys if len(reuse_keys) else np.zeros(len(near), dtype=bool)
    extra = near[~known]
    return SampleMatches(np.concatenate((reuse.pairs, extra)),
                         np.concatenate((reuse.shared, np.full(len(extra), -1, dtype=np.int64))))


def find_relations(stories: list[Story], sets: ShingleSets, sigs: np.ndarray,
                   settings: DuplicateSettings) -> Steps[list[Relation]]:
    """A stage: every related pair of stories, graded, with exact scores."""
    yield Progress("candidates", 0, 1)
    candidates = candidate_pairs(sets, sigs, settings)
    yield Progress("candidates", 1, 1)
    sizes = sets.sizes()
    shared = candidates.shared.copy()
    unknown = np.flatnonzero(shared < 0)
    for k, c in enumerate(unknown.tolist()):  # pairs of longer stories: counted on their full sets
        i, j = candidates.pairs[c]
        shared[c] = len(np.intersect1d(sets.of(i), sets.of(j), assume_unique=True))
        if k % 4096 == 0:
            yield Progress("verify", k + 1, len(unknown))
    return _graded(stories, candidates.pairs, shared, sizes, settings)


def _graded(stories: list[Story], pairs: np.ndarray, shared: np.ndarray, sizes: np.ndarray,
            settings: DuplicateSettings) -> list[Relation]:
    """The related pairs among the verified ones, graded all at once."""
    a, b = pairs[:, 0], pairs[:, 1]
    sa, sb = sizes[a], sizes[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = shared / (sa + sb - shared)
        a_in_b, b_in_a = shared / sa, shared / sb
    kind = np.select([jaccard >= 1.0, jaccard >= settings.near_duplicate_jaccard,
                      (np.maximum(a_in_b, b_in_a) >= settings.partial_reuse_containment)
                      & (shared >= settings.reuse_min_shingles)],
                     [EXACT, NEAR_DUPLICATE, PARTIAL_REUSE], "")
    related = np.flatnonzero((shared > 0) & (kind != ""))
    ids = [s.story_id for s in stories]
    return [Relation(ids[x], ids[y], k, j, ab, ba, s) for x, y, k, j, ab, ba, s in zip(
        a[related].tolist(), b[related].tolist(), kind[related].tolist(), jaccard[related].tolist(),
        a_in_b[related].tolist(), b_in_a[related].tolist(), shared[related].tolist())]


def _canonical_key(story: Story, size: int) -> tuple:
    # earliest dated first; undated after every dated story; then the longest; then a stable order
    return (story.published is None, story.published or dt.date.max, -size, story.story_id)


def duplicate_groups(stories: list[Story], sets: ShingleSets, relations: list[Relation],
                     settings: DuplicateSettings = DuplicateSettings()) -> list[DuplicateGroup]:
    """Every story in exactly one group; copies (exact or near-duplicate, directly or through another
    copy) share one. Each member carries its grade and scores against the canonical member: a member
    joined through another copy may only be ``partial_reuse`` of it, or ``linked`` if not even that."""
    n = len(stories)
    index = {s.story_id: i for i, s in enumerate(stories)}
    copies = np.array([(index[r.story_a], index[r.story_b]) for r in relations if r.kind in (EXACT, NEAR_DUPLICATE)],
                      dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(copies)), (copies[:, 0], copies[:, 1])), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    first = np.full(count, n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    group_id = np.empty(count, dtype=np.int64)
    group_id[np.argsort(first)] = np.arange(count)  # groups numbered in story order
    sizes = sets.sizes()
    in_copies = np.bincount(label, minlength=count)[label] > 1
    members: dict[int, list[int]] = {}
    for i in np.flatnonzero(in_copies).tolist():
        members.setdefault(int(group_id[label[i]]), []).append(i)
    groups: list[DuplicateGroup | None] = [None] * count
    alone = (("canonical", 1.0, 1.0),)
    single = np.flatnonzero(~in_copies)
    for gid, i in zip(group_id[label[single]].tolist(), single.tolist()):
        sid = stories[i].story_id
        groups[gid] = DuplicateGroup(gid, sid, (sid,), alone)
    for gid, idxs in members.items():
        ordered = sorted(idxs, key=lambda i: _canonical_key(stories[i], int(sizes[i])))
        canon = ordered[0]
        scores = [("canonical", 1.0, 1.0)]
        for i in ordered[1:]:
            sc = exact_scores(sets.of(i), sets.of(canon))
            scores.append((grade(sc, settings) or LINKED, sc.jaccard, sc.containment_a_in_b))
        groups[gid] = DuplicateGroup(gid, stories[canon].story_id, tuple(stories[i].story_id for i in ordered),
                                     tuple(scores))
    return [g for g in groups if g is not None]  # every slot is filled above
