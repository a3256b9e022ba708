"""Copies, partial reuse and duplicate groups.

Copies first, in time and memory linear in the number of stories however big a copy group is: identical
shingle sets collapse to one stand-in (``shared.identical_steps``); the bands of datasketch MinHashLSH over
the signatures give near-duplicate candidates, where a bucket of more than ``bucket_all_pairs`` stories
links each to its first instead of to every other; candidates are verified exactly, and the verified copy
links make duplicate groups, each under a canonical member (the earliest dated, else the longest): exact and
near-duplicate links as connected components, a copy with changes only to an original (``copy_groups``). Partial reuse (and copies LSH may miss, and copies with changes) is then looked for among the
groups' canonical members only, with bottom-k shingle samples (``candidates.sample_pair_steps``: a short story
quoted by a long one has a tiny Jaccard, which whole-story MinHash cannot see), and graded on what of the
shared text is specific to the two (``shared``: stock phrasing that many stories use counts nothing).
Each copy is reported against its group's canonical member (or the copy it was linked through), so the
relations grow with the number of stories, not with the square of a group's size.

Defaults, measured with benchmarks/dedup.py on ../shared/eval and the seeds: 5-word shingles and
containment 0.2 keep the seeds' wire rewrite (000 in 001: 0.23-0.24) above the line and their
independent reports of the same briefing (at most 0.06) below it; 4-word shingles let paraphrases share
twice as much, 6-word ones bring the rewrite down to 0.21. Stock phrasing from 10 stories on, a run
k stories hold counting 1/(k-1), and partial reuse within 7 days: on reuters21578, 635 partial reuse
pairs where 5,744 were (57% of them mostly stock phrasing; now 0.2%); less two items of one series
(``forms``) and two stories built on one source through it (``sources``): 569.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from newsdedup.dedup.candidates import lsh_bands
from newsdedup.dedup.finder import LocalFinder, PairFinder, counted
from newsdedup.dedup.rules import ReuseRules, text_rules
from newsdedup.dedup.shared import in_slices, shared_counts
from newsdedup.dedup.sources import RUN_WORDS
from newsdedup.model import DuplicateGroup, Progress, Relation, Steps, Story, finish, mapped
from newsdedup.signatures import ShingleSets

EXACT = "exact"
NEAR_DUPLICATE = "near_duplicate"
COPY_WITH_CHANGES = "copy_with_changes"
PARTIAL_REUSE = "partial_reuse"
LINKED = "linked"  # in a duplicate group only through other copies
COPIES = (EXACT, NEAR_DUPLICATE, COPY_WITH_CHANGES)  # the grades that put two stories in one duplicate group


@dataclass(frozen=True)
class DuplicateSettings:
    shingle_size: int = 5
    num_perm: int = 64  # LSH gets 17 bands of 3: a pair at Jaccard 0.8 is lost with p = 5e-6; half the cost of 128
    seed: int = 1
    near_duplicate_jaccard: float = 0.8
    # copy with additions or cuts: this much of one story stands in the other (and not of the other in it:
    # edits both ways are near-duplicates, under the line the user moves), and they are at least
    # ``copy_min_jaccard`` alike (a brief quoted whole inside a long feature is reuse, not a copy of it)
    copy_containment: float = 0.9
    copy_min_jaccard: float = 0.5
    partial_reuse_containment: float = 0.2
    # and the two share at least this many 5-word runs (as much as one 8-word passage): a stock phrase or a formula
    # headline ("ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE...") shared by two short stories is no reuse
    reuse_min_shingles: int = 4
    # partial reuse is graded on what the shared runs tell of these two: a run only they hold counts 1, one
    # that k stories of the folder hold (copies of one text counted once) 1/(k-1), and one that this many hold
    # is stock phrasing and counts nothing (see dedup.shared)
    stock_phrase_stories: int = 10
    # two dated stories further apart than this are not partial reuse of each other: what a daily, weekly or
    # monthly item (a money-market tender, cotton stocks, reserve prices) shares with its last issue is its
    # formula, not a story built on another (on reuters21578, 121 of 756 pairs, nearly all such items);
    # undated stories are always compared; None: no limit
    reuse_within_days: int | None = 7
    min_shingles: int = 10  # shorter stories are too small to call reuse on
    candidate_slack: float = 0.6  # the near-duplicate LSH threshold is this share of the report threshold
    lsh_weights: tuple[float, float] = (0.2, 0.8)  # MinHashLSH's (false positive, false negative) weights
    # an LSH bucket of more stories than this links each to its first only (copy groups stay linear in size)
    bucket_all_pairs: int = 32
    reuse_sample: int = 256  # bottom-k shingles per story looked up for partial reuse
    miss_probability: float = 1e-3  # at most this chance of losing a pair at the partial-reuse threshold


def grades(shared: np.ndarray, specific: np.ndarray, size_a: np.ndarray, size_b: np.ndarray,
           settings: DuplicateSettings) -> np.ndarray:
    """The grade of every pair ("" where unrelated), from exact counts. Copies are graded on all shared
    runs; partial reuse on what of them is specific to the two (``shared_counts``): at least
    ``partial_reuse_containment`` of the smaller story, and at least ``reuse_min_shingles`` runs."""
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = shared / (size_a + size_b - shared)
        most = shared / np.minimum(size_a, size_b)
        least = shared / np.maximum(size_a, size_b)
        own = specific / np.minimum(size_a, size_b)
    return np.select(
        [shared <= 0, jaccard >= 1.0, jaccard >= settings.near_duplicate_jaccard,
         (most >= settings.copy_containment) & (least < settings.copy_containment)
         & (jaccard >= settings.copy_min_jaccard),
         (own >= settings.partial_reuse_containment) & (specific >= settings.reuse_min_shingles)],
        ["", EXACT, NEAR_DUPLICATE, COPY_WITH_CHANGES, PARTIAL_REUSE], "")


@dataclass(frozen=True)
class FoundRelations:
    """What ``find_relations`` finds: the graded pairs, and the run frequencies they were graded with."""

    relations: list[Relation]
    common: np.ndarray  # see ``shared.phrase_frequency``


def find_relations(stories: list[Story], sets: ShingleSets, sigs: np.ndarray, settings: DuplicateSettings,
                   texts_of: Callable[[Sequence[int]], list[str]] | None = None, workers: int | None = None
                   ) -> Steps[FoundRelations]:
    """A stage: related pairs of stories, graded, with exact scores: every copy against its duplicate group's
    canonical member (or, where it is a copy only through another, against that one), and partial reuse
    between stories of different groups (with a group's canonical member standing for its copies).
    ``texts_of`` gives the clean texts of the stories numbered so: with it, two items of one series (a form
    filled with other figures or names, ``forms``) are not partial reuse of each other (those rules run on
    ``workers`` processes when there are many pairs, see ``rules``)."""
    held = sets.of if settings.shingle_size == RUN_WORDS else None  # the source rule's runs: no text read again
    rules = text_rules(texts_of, workers, held) if texts_of is not None else None
    return (yield from find_relations_with(stories, LocalFinder(sets, sigs), settings, rules))


def find_relations_with(stories: list[Story], finder: PairFinder, settings: DuplicateSettings,
                        rules: ReuseRules | None = None) -> Steps[FoundRelations]:
    """``find_relations`` with the shingle sets and signatures wherever ``finder`` keeps them, and the reuse
    rules run wherever ``rules`` runs them (``dedup.rules``)."""

    n = len(stories)
    sizes = finder.sizes
    usable = sizes >= settings.min_shingles
    steps = 10  # a report after each step: each is one bulk NumPy pass, about a second at 200k stories

    def at(step: float) -> Progress:  # a hundred units a step, so the text rules' share moves too
        return Progress("candidates", int(100 * step), 100 * steps)

    yield at(0)
    rank = canonical_rank(stories, sizes)
    stand_in = yield from mapped(finder.identical(usable), at)
    yield at(1)
    links = Links(sizes, rank)
    links.add_exact(stand_in)
    distinct = usable & (stand_in == np.arange(n))
    bands = lsh_bands(settings.near_duplicate_jaccard * settings.candidate_slack, settings.num_perm,
                      settings.lsh_weights)
    near = yield from mapped(finder.near(distinct, bands, settings.bucket_all_pairs), lambda share: at(1 + share))
    yield at(2)
    yield from links.add_verified(finder, near, None, settings, lambda share: at(2 + share))
    yield at(3)
    heads = usable & (canonicals(links.labels(n), rank) == np.arange(n))
    common = yield from mapped(finder.frequency(heads), lambda share: at(3 + share))
    yield at(4)
    reuse = yield from mapped(finder.sampled(heads, settings.reuse_sample, settings.partial_reuse_containment,
                                              settings.miss_probability), lambda share: at(4 + share))
    yield at(5)
    reuse_kinds = yield from links.add_verified(finder, reuse, common, settings, lambda share: at(5 + share))
    reuse_kinds[(reuse_kinds == PARTIAL_REUSE) & far_apart(stories, reuse, settings.reuse_within_days)] = ""
    yield at(6)
    label = links.labels(n)
    canonical = canonicals(label, rank)
    rows = links.rows_to_canonical(finder, label, canonical, settings)
    yield at(7)
    reused, built_on = yield from _between_groups(reuse, reuse_kinds, _stacked(links.changed), label, rows,
                                                  settings, rules, lambda part: at(7 + part))
    yield at(8)
    pairs = np.concatenate((rows, reused, built_on))
    shared, specific = yield from counted(finder, pairs, common, settings.stock_phrase_stories,
                                          lambda share: at(8 + share))
    graded = _graded(stories, pairs, shared, specific, sizes, settings, len(pairs) - len(built_on))
    yield at(steps)
    return FoundRelations(graded, common)


def _between_groups(reuse: np.ndarray, kinds: np.ndarray, changed: np.ndarray, label: np.ndarray,
                    rows: np.ndarray, settings: DuplicateSettings,
                    rules: ReuseRules | None, report: Callable[[float], Progress]
                    ) -> Steps[tuple[np.ndarray, np.ndarray]]:
    """Partial reuse between stories of different duplicate groups: the pairs graded so (less two items of one
    series, two replies sharing only what both quote, and two stories built on one source through it: the
    ``rules``), and the copies with changes of a story in another group (built on it)."""
    reused = reuse[(kinds == PARTIAL_REUSE) & (label[reuse[:, 0]] != label[reuse[:, 1]])]
    changed = np.unique(np.sort(changed, axis=1), axis=0)
    built_on = changed[label[changed[:, 0]] != label[changed[:, 1]]]
    if rules is not None:
        reused = reused[(yield from rules(reused, np.concatenate((rows, built_on)), settings.partial_reuse_containment,
                                          settings.reuse_min_shingles, report))]
    return reused, built_on


def _graded(stories: list[Story], pairs: np.ndarray, shared: np.ndarray, specific: np.ndarray,
            sizes: np.ndarray, settings: DuplicateSettings, apart_from: int) -> list[Relation]:
    """Relations of the verified pairs, graded all at once (pairs that grade as nothing left out); the pairs
    from ``apart_from`` on are copies in different duplicate groups: the one built on the other, as reuse."""
    a, b = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    sa, sb = sizes[a], sizes[b]
    kind = grades(shared, specific, sa, sb, settings)
    kind[apart_from:][np.isin(kind[apart_from:], COPIES)] = PARTIAL_REUSE
    kind[(kind == PARTIAL_REUSE) & far_apart(stories, pairs, settings.reuse_within_days)] = ""
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = shared / (sa + sb - shared)
        a_in_b, b_in_a = shared / sa, shared / sb
    related = np.flatnonzero(kind != "")
    related = related[np.lexsort((b[related], a[related]))]
    ids = [s.story_id for s in stories]
    return [Relation(ids[x], ids[y], k, j, ab, ba, s) for x, y, k, j, ab, ba, s in zip(
        a[related].tolist(), b[related].tolist(), kind[related].tolist(), jaccard[related].tolist(),
        a_in_b[related].tolist(), b_in_a[related].tolist(), shared[related].tolist())]


def far_apart(stories: list[Story], pairs: np.ndarray, days: int | None) -> np.ndarray:
    """Which pairs are of two dated stories more than ``days`` apart."""
    if days is None or len(pairs) == 0:
        return np.zeros(len(pairs), dtype=bool)
    day = np.array([s.published.toordinal() if s.published else -1 for s in stories], dtype=np.int64)
    a, b = day[pairs[:, 0]], day[pairs[:, 1]]
    return (a >= 0) & (b >= 0) & (np.abs(a - b) > days)


def canonical_rank(stories: list[Story], sizes: np.ndarray) -> np.ndarray:
    """Each story's place in the order of canonical members (0 would be canonical over every other)."""
    order = sorted(range(len(stories)), key=lambda i: _canonical_key(stories[i], int(sizes[i])))
    rank = np.empty(len(stories), dtype=np.int64)
    rank[np.array(order, dtype=np.int64)] = np.arange(len(stories))
    return rank


def canonicals(label: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """For every story, the canonical member of its component: the one of lowest rank."""
    best = np.full(int(label.max()) + 1 if len(label) else 0, len(rank), dtype=np.int64)
    np.minimum.at(best, label, rank)
    by_rank = np.empty(len(rank), dtype=np.int64)
    by_rank[rank] = np.arange(len(rank))
    return by_rank[best[label]]


class Links:
    """Verified copy links between stories, and the duplicate groups they make (see ``copy_groups``)."""

    def __init__(self, sizes: np.ndarray, rank: np.ndarray) -> None:
        self.sizes = sizes
        self.rank = rank
        self.strong: list[np.ndarray] = []  # exact and near-duplicate links
        self.changed: list[np.ndarray] = []  # copy-with-changes links
        self.used = np.zeros((0, 2), dtype=np.int64)  # the changed links the last ``labels`` joined by

    def add_exact(self, stand_in: np.ndarray) -> None:
        copy = np.flatnonzero(stand_in != np.arange(len(stand_in)))
        self.strong.append(np.stack((stand_in[copy], copy), axis=1))

    def add_verified(self, finder: PairFinder, pairs: np.ndarray, common: np.ndarray | None,
                     settings: DuplicateSettings, report: Callable[[float], Progress]) -> Steps[np.ndarray]:
        """Count what each pair shares, keep the copies as links; the grade of every pair (``report``: the
        share counted, between slices of pairs)."""
        shared, specific = yield from counted(finder, pairs, common, settings.stock_phrase_stories, report)
        kinds = grades(shared, specific, self.sizes[pairs[:, 0]], self.sizes[pairs[:, 1]], settings)
        self.strong.append(pairs[np.isin(kinds, (EXACT, NEAR_DUPLICATE))])
        self.changed.append(pairs[kinds == COPY_WITH_CHANGES])
        return kinds

    def labels(self, n: int) -> np.ndarray:
        """Each story's duplicate group (``copy_groups``), remembering the changed links it joined by."""
        label, self.used = copy_groups(n, _stacked(self.strong), _stacked(self.changed), self.rank)
        return label

    def rows_to_canonical(self, finder: PairFinder, label: np.ndarray, canonical: np.ndarray,
                          settings: DuplicateSettings) -> np.ndarray:
        """One pair per member of a duplicate group: with its canonical member where the two are copies by
        their own scores, else with the member it was linked through on the way from the canonical one."""
        n = len(label)
        members = np.flatnonzero(canonical != np.arange(n))
        direct = np.stack((members, canonical[members]), axis=1)
        shared, _ = finder.counts(direct)
        copy = np.isin(grades(shared, shared, self.sizes[members], self.sizes[canonical[members]], settings), COPIES)
        rest = members[~copy]
        if len(rest) == 0:
            return direct
        heads = np.unique(canonical[members])  # a root above every canonical member: one search for all groups
        edges = np.concatenate((_stacked(self.strong), self.used, np.stack((np.full(len(heads), n), heads), axis=1)))
        graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n + 1, n + 1))
        _, parent = breadth_first_order(graph, n, directed=False, return_predecessors=True)
        return np.concatenate((direct[copy], np.stack((rest, parent[rest]), axis=1)))


def _stacked(found: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(found).reshape(-1, 2).astype(np.int64) if found else np.zeros((0, 2), dtype=np.int64)


def copy_groups(n: int, strong: np.ndarray, changed: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each story's duplicate group, and the changed links that joined groups.

    Exact and near-duplicate links join as connected components: near-duplicates of near-duplicates are
    still near-duplicates of one text. A copy with changes (additions or cuts) joins a story's group to
    another group's original only, not onward through other copies with changes: A quoted whole in B, B
    quoted whole in C and C in D (a thread of quoted replies) are a chain whose ends share little, not
    copies of one text. So the originals, best ranked first, each take the groups they are linked to that
    no better one took; a changed link between two groups that stay apart is reuse (``find_relations``)."""
    label = _components(n, strong)
    head = canonicals(label, rank)
    # between two originals only: a copy with changes of a near-duplicate of the original is no copy of it
    changed = changed[(head[changed[:, 0]] == changed[:, 0]) & (head[changed[:, 1]] == changed[:, 1])
                      & (changed[:, 0] != changed[:, 1])]
    ends = changed
    if len(ends) == 0:
        return label, np.zeros((0, 2), dtype=np.int64)
    nodes = np.unique(ends)
    at = np.searchsorted(nodes, ends)
    both = np.concatenate((at, at[:, ::-1]))
    adjacency = coo_matrix((np.ones(len(both)), (both[:, 0], both[:, 1])), shape=(len(nodes),) * 2).tocsr()
    taken_by = np.full(len(nodes), -1, dtype=np.int64)
    for x in np.argsort(rank[nodes], kind="stable").tolist():  # one step per linked original, not per shingle
        if taken_by[x] < 0:
            taken_by[x] = x
            near = adjacency.indices[adjacency.indptr[x]:adjacency.indptr[x + 1]]
            taken_by[near[taken_by[near] < 0]] = x
    label = _components(n, np.concatenate((strong, np.stack((nodes, nodes[taken_by]), axis=1))))
    used = (taken_by[at[:, 1]] == at[:, 0]) | (taken_by[at[:, 0]] == at[:, 1])  # an original and a group it took
    return label, changed[used]


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _canonical_key(story: Story, size: int) -> tuple:
    # earliest dated first; undated after every dated story; then the longest; then a stable order
    return (story.published is None, story.published or dt.date.max, -size, story.story_id)


def duplicate_groups(stories: list[Story], sets: ShingleSets, relations: list[Relation],
                     settings: DuplicateSettings = DuplicateSettings()) -> list[DuplicateGroup]:
    """Every story in exactly one group; copies (exact or near-duplicate, directly or through another
    copy) share one. Each member carries its grade and scores against the canonical member: a member
    joined through another copy may only be ``partial_reuse`` of it, or ``linked`` if not even that."""
    return finish(duplicate_group_steps(stories, sets, relations, settings))


def duplicate_group_steps(stories: list[Story], sets: ShingleSets, relations: list[Relation],
                          settings: DuplicateSettings = DuplicateSettings()
                          ) -> Generator[float, None, list[DuplicateGroup]]:
    """``duplicate_groups``, yielding the share of members scored (seconds at 400,000 stories)."""
    n = len(stories)
    index = {s.story_id: i for i, s in enumerate(stories)}
    copies = np.array([(index[r.story_a], index[r.story_b]) for r in relations if r.kind in COPIES],
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
    ordered = {gid: sorted(idxs, key=lambda i: _canonical_key(stories[i], int(sizes[i])))
               for gid, idxs in members.items()}
    # every member against its canonical one, scored at once (shared runs, sizes, grade)
    pairs = np.array([(i, o[0]) for o in ordered.values() for i in o[1:]], np.int64).reshape(-1, 2)
    parts = yield from in_slices(lambda part: shared_counts(sets, part), pairs, sizes)
    shared = np.concatenate([part[0] for part in parts])
    size_a, size_b = np.where(shared > 0, sizes[pairs[:, 0]], 0), np.where(shared > 0, sizes[pairs[:, 1]], 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(shared > 0, shared / (size_a + size_b - shared), 0.0).tolist()
        within = np.where(shared > 0, shared / size_a, 0.0).tolist()
    scored = list(zip((str(k) or LINKED for k in grades(shared, shared, size_a, size_b, settings)), jaccard, within))
    at = 0
    for gid, o in ordered.items():
        groups[gid] = DuplicateGroup(gid, stories[o[0]].story_id, tuple(stories[i].story_id for i in o),
                                     (("canonical", 1.0, 1.0), *scored[at:at + len(o) - 1]))
        at += len(o) - 1
    return [g for g in groups if g is not None]  # every slot is filled above
