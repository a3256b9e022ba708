"""Nearest neighbours of stories whose candidates lie in many blocks: the local search (``events.neighbours``)
cut by columns, so each block of the events stage can look among its own stories and the blocks' answers
add up to the local one.

The local search takes, for each story, the ``c`` most similar others by an approximate similarity (the
story's heaviest terms only) and ranks those by their exact, faded cosine. The ``c`` best of all columns
are among the ``c`` best of each block of columns, so a block returns its ``c`` best with both
similarities, and ``nearest`` picks the ``c`` best of their union and then the ``k`` best of those: the
local list, wherever the columns are (bar ties, which either search breaks its own way).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from newsdedup.events.neighbours import BLOCK_CELLS, SEARCH_MASS

Asks = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # query, candidate, approximate, exact


def no_asks() -> Asks:
    return (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32), np.empty(0, np.float64))


def candidates(matrix: sp.csr_matrix, queries: np.ndarray, columns: np.ndarray, c: int, fade) -> Asks:
    """Each query row's ``c`` best of ``columns`` by approximate similarity, with their exact faded cosine
    (a query's own row scores -1, as in the local search)."""
    if len(queries) == 0 or len(columns) == 0:
        return no_asks()
    cc = min(c, len(columns))
    transposed = matrix[columns].T.tocsr()
    block = max(1, BLOCK_CELLS // len(columns))
    out = []
    for s in range(0, len(queries), block):
        idx = queries[s:s + block]
        rows = matrix[idx]
        sim = (_heaviest(rows, SEARCH_MASS) @ transposed).toarray()
        sim[idx[:, None] == columns[None, :]] = -1.0
        pick = np.argpartition(-sim, cc - 1, axis=1)[:, :cc]
        approx = np.take_along_axis(sim, pick, axis=1)
        cand = columns[pick]
        q = np.repeat(idx, cc)
        exact = np.asarray(matrix[q].multiply(matrix[cand.ravel()]).sum(axis=1)).ravel().astype(np.float64)
        exact = exact * fade(q, cand.ravel())
        exact[q == cand.ravel()] = -1.0
        out.append((q, cand.ravel(), approx.ravel(), exact))
    return tuple(np.concatenate([o[k] for o in out]) for k in range(4))  # type: ignore[return-value]


def nearest(asks: list[Asks], c: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From the blocks' candidates of each query: the ``c`` best by approximate similarity, and of those
    the ``k`` best by exact similarity above 0, as (query, neighbour, similarity)."""
    q, cand, approx, exact = (np.concatenate([a[j] for a in asks]) for j in range(4))
    order = np.lexsort((-approx, q))
    q, cand, exact = q[order], cand[order], exact[order]
    keep = _rank(q) < c
    q, cand, exact = q[keep], cand[keep], exact[keep]
    order = np.lexsort((-exact, q))
    q, cand, exact = q[order], cand[order], exact[order]
    keep = (_rank(q) < k) & (exact > 0)
    return q[keep], cand[keep], exact[keep].astype(np.float32)


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
