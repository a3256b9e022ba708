"""Nearest neighbours of stories whose candidates lie in many blocks: the local search (``events.neighbours``)
cut by columns, so each block of the events stage can look among its own stories and the blocks' answers
add up to the local one.

The local search takes, for each story, the ``SHORTLIST x c`` most similar others by an approximate
similarity (the story's heaviest terms only), keeps the ``c`` of those most alike by exact cosine, and
ranks those by their faded cosine. The best of all columns are among the best of each block of columns,
so a block returns its ``SHORTLIST x c`` best with the three similarities, and ``nearest`` picks from
their union as the local search picks: the local list, wherever the columns are (bar ties, which either
search breaks its own way, and the local index's cut of a common word's stories, see ``neighbours``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from newsdedup.events.neighbours import BLOCK_CELLS, CANDIDATE_FLOOR, SEARCH_MASS, SHORTLIST

Asks = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # query, candidate, approximate,
# exact and faded similarity


def no_asks() -> Asks:
    return (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32), np.empty(0, np.float64),
            np.empty(0, np.float64))


def candidates(matrix: sp.csr_matrix, queries: np.ndarray, columns: np.ndarray, c: int, fade) -> Asks:
    """Each query row's ``SHORTLIST x c`` best of ``columns`` by approximate similarity (at least
    ``CANDIDATE_FLOOR``), with their exact cosine and their exact faded cosine."""
    if len(queries) == 0 or len(columns) == 0:
        return no_asks()
    cc = min(SHORTLIST * c, len(columns))
    transposed = matrix[columns].T.tocsr()
    block = max(1, BLOCK_CELLS // len(columns))
    out = []
    for s in range(0, len(queries), block):
        idx = queries[s:s + block]
        rows = matrix[idx]
        sim = (_heaviest(rows, SEARCH_MASS) @ transposed).toarray()
        sim[idx[:, None] == columns[None, :]] = -1.0
        pick = np.argpartition(-sim, cc - 1, axis=1)[:, :cc]
        approx = np.take_along_axis(sim, pick, axis=1).ravel()
        cand = columns[pick].ravel()
        q = np.repeat(idx, cc)
        ok = approx >= CANDIDATE_FLOOR  # as the local search: fainter ones are no candidates
        q, cand, approx = q[ok], cand[ok], approx[ok]
        plain = np.asarray(matrix[q].multiply(matrix[cand]).sum(axis=1)).ravel().astype(np.float64)
        out.append((q, cand, approx, plain, plain * fade(q, cand)))
    return tuple(np.concatenate([o[k] for o in out]) for k in range(5))  # type: ignore[return-value]


def nearest(asks: list[Asks], c: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From the blocks' candidates of each query: the ``SHORTLIST x c`` best by approximate similarity, the
    ``c`` most alike of those, and of those the ``k`` best by faded similarity above 0, as (query,
    neighbour, similarity)."""
    q, cand, approx, plain, faded = (np.concatenate([a[j] for a in asks]) for j in range(5))
    q, cand, plain, faded = _best_of(q, approx, SHORTLIST * c, cand, plain, faded)
    q, cand, faded = _best_of(q, plain, c, cand, faded)
    q, cand, faded = _best_of(q, faded, k, cand, faded)
    keep = faded > 0
    return q[keep], cand[keep], faded[keep].astype(np.float32)


def _best_of(q: np.ndarray, value: np.ndarray, most: int, *more: np.ndarray):
    """The ``most`` items of highest ``value`` of each query, sorted by query: (q, *more)."""
    order = np.lexsort((-value, q))
    keep = _rank(q[order]) < most
    return (q[order][keep], *(m[order][keep] for m in more))


def undirected(a: np.ndarray, b: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each link once, as (i, j, similarity) with i < j (found from both ends, it has one value)."""
    key = np.minimum(a, b) * n + np.maximum(a, b)
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.r_[True, key[1:] != key[:-1]][:len(key)]
    return key[first] // n, key[first] % n, v[order][first]


def _rank(sorted_keys: np.ndarray) -> np.ndarray:
    """Each item's place within its run of equal keys (keys sorted)."""
    return np.arange(len(sorted_keys)) - np.searchsorted(sorted_keys, sorted_keys)


def _heaviest(rows: sp.csr_matrix, mass: float) -> sp.csr_matrix:
    """Each row's heaviest terms, as many as hold ``mass`` of its squared weight: the local search's probe."""
    rows = rows.tocsr(copy=True)
    r = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    order = np.lexsort((-rows.data, r))
    sq = rows.data[order].astype(np.float64) ** 2
    cum = np.cumsum(sq)
    before = cum - sq - np.r_[0.0, cum][rows.indptr[:-1]][r[order]]
    keep = np.empty(len(order), bool)
    keep[order] = before < mass
    rows.data[~keep] = 0
    rows.eliminate_zeros()
    return rows
