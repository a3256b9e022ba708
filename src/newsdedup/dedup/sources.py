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

import numpy as np
from scipy.sparse import csr_matrix

from newsdedup.signatures import ShingleSets

WHOLE = 0.9  # of a source's runs stand in each story built on it


def explained_by_a_source(sets: ShingleSets, pairs: np.ndarray, shared: np.ndarray, containment: float,
                          min_shingles: int, copies: np.ndarray | None = None) -> np.ndarray:
    """Which of the partial reuse ``pairs`` share too little beyond the text of a story that is the source of
    both (see above). ``shared``: the runs each of ``pairs`` and then of ``copies`` shares; ``copies``: the
    copy pairs, which may make a story the source of another too (a post a reply quotes whole)."""
    explained = np.zeros(len(pairs), dtype=bool)
    if len(pairs) < 2:
        return explained
    sizes = sets.sizes()
    linked = pairs if copies is None else np.concatenate((pairs, copies))
    a, b = linked[:, 0], linked[:, 1]
    a_source = shared / sizes[a] >= shared / sizes[b]
    source, user = np.where(a_source, a, b), np.where(a_source, b, a)
    whole = shared >= WHOLE * sizes[source]  # a source is quoted whole: a reply is not mistaken for its post
    n = len(sizes)
    sources_of = csr_matrix((np.ones(int(whole.sum())), (user[whole], source[whole])), shape=(n, n))
    sources_of.sum_duplicates()
    for k, (i, j) in enumerate(pairs.tolist()):  # one step per reuse pair, and per source both have
        common = np.intersect1d(sources_of.indices[sources_of.indptr[i]:sources_of.indptr[i + 1]],
                                sources_of.indices[sources_of.indptr[j]:sources_of.indptr[j + 1]])
        common = common[(common != i) & (common != j)]
        if len(common) == 0:
            continue
        both = np.intersect1d(sets.of(i), sets.of(j), assume_unique=True)
        taken = max(int(np.isin(both, sets.of(x), assume_unique=True).sum()) for x in common.tolist())
        beyond = len(both) - taken
        explained[k] = beyond < min_shingles or beyond < containment * min(sizes[i], sizes[j])
    return explained
