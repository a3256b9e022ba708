"""A common source: two stories built on one third story are not reuse of each other through it.

Two replies that quote one post, two rewrites of one wire story: each shares the source's text with the
other, but neither is built on the other. When a story of the folder is the source of both (each of them holds nearly all
of it, ``WHOLE``: a post quoted whole by two replies, a wire story reprinted in two rewrites), what
the two share beyond the source's text is what tells whether one is built on the other: the pair stays
partial reuse only if that alone still makes the grade (``partial_reuse_containment`` of the smaller
story and ``reuse_min_shingles`` runs). A reply quoting a reply keeps its pair with the reply it quotes:
the quoted reply's own lines are beyond the first post's text.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from newsdedup.dedup.shared import in_slices, shared_counts
from newsdedup.model import finish, mapped
from newsdedup.signatures import SHINGLE_BITS, ShingleSets
from newsdedup.text import shingles, words

WHOLE = 0.9  # of a source's runs stand in each story built on it
RUN_WORDS = 5  # words in a run


def runs_of(text: str) -> np.ndarray:
    """The distinct five-word runs of a clean text, sorted, hashed as the scan's shingle sets hold them."""
    return np.unique(shingles(words(text).hashes, RUN_WORDS) >> np.uint64(64 - SHINGLE_BITS))


def touching(pairs: np.ndarray, copies: np.ndarray) -> np.ndarray:
    """Which ``copies`` (pairs) touch a story of ``pairs``."""
    ends = np.unique(pairs)
    return np.isin(copies[:, 0], ends) | np.isin(copies[:, 1], ends)


def linked_pairs(pairs: np.ndarray, copies: np.ndarray) -> np.ndarray:
    """The pairs whose overlaps decide the sources: ``pairs`` and the copy pairs that touch their stories."""
    return np.concatenate((pairs, copies[touching(pairs, copies)]))


def overlaps(linked: np.ndarray, runs: Mapping[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs shared by each pair of ``linked``, and the runs of its first and of its second story (at least 1)."""
    return finish(overlap_steps(linked, runs))


def overlap_steps(linked: np.ndarray, runs: Mapping[int, np.ndarray]
                  ) -> Generator[float, None, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``overlaps``, yielding the share of pairs counted (``shared.in_slices``: seconds at 200,000 stories)."""
    ids = np.unique(linked)
    held = [runs[i] for i in ids.tolist()]
    sizes = np.fromiter(map(len, held), np.int64, len(held))
    sets = ShingleSets(np.concatenate(held) if held else np.zeros(0, np.uint64),
                       np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))
    at = np.searchsorted(ids, linked).reshape(-1, 2)
    found = yield from in_slices(lambda part: shared_counts(sets, part), at, sizes)  # sorts: no loop per pair
    shared = np.concatenate([f[0] for f in found])
    return shared, np.maximum(sizes[at[:, 0]], 1), np.maximum(sizes[at[:, 1]], 1)


def common_sources(pairs: np.ndarray, linked: np.ndarray, shared: np.ndarray, size_a: np.ndarray,
                   size_b: np.ndarray) -> list[np.ndarray]:
    """For each of ``pairs``, the stories that are the source of both (each holds ``WHOLE`` of its runs),
    from the overlaps of ``linked`` (``overlaps``)."""
    a, b = linked[:, 0], linked[:, 1]
    a_source = shared / size_a >= shared / size_b
    source, user = np.where(a_source, a, b), np.where(a_source, b, a)
    whole = shared >= WHOLE * np.where(a_source, size_a, size_b)  # a source is quoted whole: no reply for its post
    n = int(linked.max()) + 1
    sources_of = csr_matrix((np.ones(int(whole.sum())), (user[whole], source[whole])), shape=(n, n))
    sources_of.sum_duplicates()
    # the sources both stories of a pair have: (pair, source) keys that stand twice, one sort for all pairs
    key = np.sort(np.concatenate([_sources(sources_of, pairs[:, side], n) for side in (0, 1)]))
    both = key[1:][key[1:] == key[:-1]]
    k, common = both // n, both % n
    keep = (common != pairs[k, 0]) & (common != pairs[k, 1])
    k, common = k[keep], common[keep]
    return np.split(common, np.searchsorted(k, np.arange(1, len(pairs))))


def _sources(sources_of: csr_matrix, rows: np.ndarray, n: int) -> np.ndarray:
    """Each source of each of ``rows``, as the key (place in ``rows``) * n + source."""
    lo = sources_of.indptr[rows].astype(np.int64)
    size = sources_of.indptr[rows + 1] - lo
    at = np.arange(size.sum()) + np.repeat(lo - (np.cumsum(size) - size), size)
    return np.repeat(np.arange(len(rows), dtype=np.int64), size) * n + sources_of.indices[at]


def beyond_sources(i: int, j: int, sources: Sequence[int], runs: Mapping[int, np.ndarray], containment: float,
                   min_shingles: int) -> bool:
    """Whether stories ``i`` and ``j`` share too little beyond the text of one of their common ``sources``."""
    both = np.intersect1d(runs[i], runs[j], assume_unique=True)
    taken = max(int(np.isin(both, runs[x], assume_unique=True).sum()) for x in sources)
    beyond = len(both) - taken
    return beyond < min_shingles or beyond < containment * min(max(len(runs[i]), 1), max(len(runs[j]), 1))


def explained_by_a_source_steps(pairs: np.ndarray, copies: np.ndarray, texts_of: Callable[[Sequence[int]], list[str]],
                                containment: float, min_shingles: int, chunk: int = 2000,
                                runs_held: Callable[[int], np.ndarray] | None = None
                                ) -> Generator[float, None, np.ndarray]:
    """Which of the partial reuse ``pairs`` share too little beyond the text of a story that is the source of
    both (see above). ``copies``: the copy pairs, which may make a story the source of another too (a post a
    reply quotes whole); ``texts_of`` gives the clean texts of stories (their runs are counted from them),
    or ``runs_held`` gives each story's runs already made (the scan's shingle sets of five-word runs: the
    same runs, hashed shorter, so the counts are the same and no text is read again).
    A generator: yields the share done after every ``chunk`` stories read (to 0.4), slice of pairs' runs
    counted (to 0.5) and ``chunk`` pairs decided (the second half); returns the answer. (On a cluster the same steps run on the workers: ``cluster.reuse``.)"""
    explained = np.zeros(len(pairs), dtype=bool)
    if len(pairs) < 2:
        return explained
    yield 0.0
    linked = linked_pairs(pairs, copies)
    wanted = np.unique(linked).tolist()
    runs: dict[int, np.ndarray] = {}
    for lo in range(0, len(wanted), chunk):
        part = wanted[lo:lo + chunk]
        if runs_held is not None:
            runs.update((i, runs_held(i)) for i in part)
        else:
            runs.update((i, runs_of(t)) for i, t in zip(part, texts_of(part)))
        yield 0.4 * (lo + len(part)) / len(wanted)
    counts = yield from mapped(overlap_steps(linked, runs), lambda share: 0.4 + 0.1 * share)
    common = common_sources(pairs, linked, *counts)
    for k, (i, j) in enumerate(pairs.tolist()):  # one step per reuse pair, and per source both have
        if k % chunk == chunk - 1:
            yield 0.5 + 0.5 * (k + 1) / len(pairs)
        if len(common[k]):
            explained[k] = beyond_sources(i, j, common[k].tolist(), runs, containment, min_shingles)
    return explained


def explained_by_a_source(pairs: np.ndarray, copies: np.ndarray, texts_of: Callable[[Sequence[int]], list[str]],
                          containment: float, min_shingles: int) -> np.ndarray:
    """``explained_by_a_source_steps`` to its answer."""
    steps = explained_by_a_source_steps(pairs, copies, texts_of, containment, min_shingles)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
