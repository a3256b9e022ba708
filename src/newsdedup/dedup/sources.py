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

from collections.abc import Callable, Generator, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from newsdedup.text import shingles, words

WHOLE = 0.9  # of a source's runs stand in each story built on it
_SHINGLE = 5


def explained_by_a_source_steps(pairs: np.ndarray, copies: np.ndarray, texts_of: Callable[[Sequence[int]], list[str]],
                                containment: float, min_shingles: int, chunk: int = 2000
                                ) -> Generator[float, None, np.ndarray]:
    """Which of the partial reuse ``pairs`` share too little beyond the text of a story that is the source of
    both (see above). ``copies``: the copy pairs, which may make a story the source of another too (a post a
    reply quotes whole); ``texts_of`` gives the clean texts of stories (their runs are counted from them, so
    that the shingle sets may be kept elsewhere, on a cluster's workers). A generator: yields the share done
    after every ``chunk`` stories read (the first half) and pairs decided (the second); returns the answer."""
    explained = np.zeros(len(pairs), dtype=bool)
    if len(pairs) < 2:
        return explained
    yield 0.0
    ends = np.unique(pairs)
    copies = copies[np.isin(copies[:, 0], ends) | np.isin(copies[:, 1], ends)]
    linked = np.concatenate((pairs, copies))
    wanted = np.unique(linked).tolist()
    runs: dict[int, np.ndarray] = {}
    for lo in range(0, len(wanted), chunk):
        part = wanted[lo:lo + chunk]
        runs.update((i, np.unique(shingles(words(t).hashes, _SHINGLE))) for i, t in zip(part, texts_of(part)))
        yield 0.5 * (lo + len(part)) / len(wanted)
    size = {i: max(len(r), 1) for i, r in runs.items()}
    shared = np.array([len(np.intersect1d(runs[i], runs[j], assume_unique=True)) for i, j in linked.tolist()])
    a, b = linked[:, 0], linked[:, 1]
    size_a, size_b = np.array([size[i] for i in a.tolist()]), np.array([size[i] for i in b.tolist()])
    a_source = shared / size_a >= shared / size_b
    source, user = np.where(a_source, a, b), np.where(a_source, b, a)
    whole = shared >= WHOLE * np.where(a_source, size_a, size_b)  # a source is quoted whole: no reply for its post
    n = int(linked.max()) + 1
    sources_of = csr_matrix((np.ones(int(whole.sum())), (user[whole], source[whole])), shape=(n, n))
    sources_of.sum_duplicates()
    for k, (i, j) in enumerate(pairs.tolist()):  # one step per reuse pair, and per source both have
        if k % chunk == chunk - 1:
            yield 0.5 + 0.5 * (k + 1) / len(pairs)
        common = np.intersect1d(sources_of.indices[sources_of.indptr[i]:sources_of.indptr[i + 1]],
                                sources_of.indices[sources_of.indptr[j]:sources_of.indptr[j + 1]])
        common = common[(common != i) & (common != j)]
        if len(common) == 0:
            continue
        both = np.intersect1d(runs[i], runs[j], assume_unique=True)
        taken = max(int(np.isin(both, runs[x], assume_unique=True).sum()) for x in common.tolist())
        beyond = len(both) - taken
        explained[k] = beyond < min_shingles or beyond < containment * min(size[i], size[j])
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
