"""Each story's nearest neighbours: the few most similar others, found without an n-by-n matrix.

Rows are unit TF-IDF vectors, so a dot product is a cosine. Each story looks with its heaviest terms that
are not common (see ``SEARCH_MASS`` and ``PROBE_MAX_DF``), keeps the best few candidates of that sparse
product, and ranks them by exact cosine: no dense row of n similarities is ever made, and a story's cost
is bounded by the few documents its rare terms appear in, not by n. So the search grows about as n, not
as n squared. The search runs in blocks of rows on all cores and yields after every block, so a caller
can report progress and stop it (see ``neighbour_edges``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

MAX_BLOCK = 256  # rows per block at most: a block's product is sparse, so its memory is rows x candidates
MIN_BLOCKS = 64  # and at least this many blocks, so a small folder reports progress often too

# The search for each story's nearest neighbours looks with the story's heaviest terms only, those holding
# this share of its squared weight (the many light terms cost most of the sparse product and rarely decide
# who is nearest), leaves out terms more than PROBE_MAX_DF stories carry (a common term costs a step for
# each of them and tells little about which story is nearest; a story keeps its heaviest term whatever its
# count, so none is left without candidates), takes CANDIDATES_PER_NEIGHBOUR x k candidates, and ranks them
# by their exact cosine. Recall against an exhaustive search: benchmarks/events.py (``search_check``).
SEARCH_MASS = 0.9
CANDIDATES_PER_NEIGHBOUR = 4
PROBE_MAX_DF = 2000


def neighbour_edges(matrix: sp.csr_matrix, k: int, fade=None, among: np.ndarray | None = None,
                    rows: np.ndarray | None = None) -> Generator[int, None, tuple]:
    """Each row's k most similar other rows (cosine, rows are unit vectors), as (i, j, similarity), i < j:
    the k best by exact cosine among the candidates its heaviest terms find. With ``fade`` (rows i, rows j
    -> factors), a similarity is the cosine times its factor (see ``timing``): the time between two stories.

    With ``among`` (a mask of rows), returns two lists from the one search: that, and each of those rows' k
    most similar among those rows alone, numbered 0..among.sum()-1 (the dated stories, see ``cluster``).
    With ``rows`` (row numbers), only those rows look for their neighbours (a rescan, see ``incremental``).

    Yields the number of rows done after every block; memory is a few blocks' candidates, never n x n.
    Blocks are computed on all the machine's cores (scipy's sparse product lets go of the GIL), at most
    two per core at a time; stopping the generator waits for those and starts no more."""
    n = matrix.shape[0]
    k = min(k, n - 1)
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32))
    if k <= 0:
        return empty if among is None else (empty, empty)
    searched = np.arange(n) if rows is None else np.asarray(rows, np.int64)
    block = max(1, min(MAX_BLOCK, -(-len(searched) // MIN_BLOCKS)))
    transposed = matrix.T.tocsr()  # CSR: a CSC operand would be converted again for every block
    common = common_terms(matrix)
    workers = _cores()
    found = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neighbours")
    try:
        pending: deque = deque()
        for s in range(0, len(searched), block):
            pending.append(pool.submit(_block_neighbours, matrix, transposed, searched[s:s + block], k, False,
                                       fade, among, common))
            if len(pending) >= 2 * workers:
                found.append(pending.popleft().result())
                yield min(len(found) * block, len(searched))  # blocks finish in order: rows done so far
        while pending:
            found.append(pending.popleft().result())
            yield min(len(found) * block, len(searched))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    edges = _undirected([f[0] for f in found], n)
    if among is None:
        return edges
    position = np.cumsum(among) - 1
    a, b, v = _undirected([f[1] for f in found], n)
    return edges, (position[a], position[b], v)


def common_terms(matrix: sp.csr_matrix) -> np.ndarray:
    """Which terms more than PROBE_MAX_DF stories carry (left out of the search's probes)."""
    return np.bincount(matrix.indices, minlength=matrix.shape[1]) > PROBE_MAX_DF


def _undirected(found: list, n: int) -> tuple:
    """Each link once, as (i, j, similarity) with i < j."""
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    i = np.concatenate([f[0] for f in found])
    j = np.concatenate([f[1] for f in found])
    v = np.concatenate([f[2] for f in found])
    key = np.minimum(i, j) * n + np.maximum(i, j)
    order = np.argsort(key, kind="stable")  # a sort, not np.unique: its hash path is slow on int64
    key = key[order]
    first = np.r_[True, key[1:] != key[:-1]]
    return key[first] // n, key[first] % n, v[order][first]


def _heaviest(rows: sp.csr_matrix, mass: float, common: np.ndarray | None = None) -> sp.csr_matrix:
    """Each row's heaviest terms, as many as hold ``mass`` of its squared weight (rows are unit vectors),
    without the ``common`` terms but for the row's heaviest."""
    rows = rows.tocsr(copy=True)
    r = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    order = np.lexsort((-rows.data, r))
    sq = rows.data[order].astype(np.float64) ** 2
    cum = np.cumsum(sq)
    before = cum - sq - np.r_[0.0, cum][rows.indptr[:-1]][r[order]]  # mass of the heavier terms of its row
    keep = np.empty(len(order), bool)
    chosen = before < mass
    if common is not None:
        chosen &= ~common[rows.indices[order]] | (before == 0)
    keep[order] = chosen
    rows.data[~keep] = 0
    rows.eliminate_zeros()
    return rows


def _block_neighbours(matrix, transposed, idx: np.ndarray, k: int, exhaustive: bool = False, fade=None,
                      among=None, common=None):
    """Rows ``idx``: each one's k most similar other rows with a positive similarity, as (rows, others,
    similarities), and with ``among`` the same among those rows alone: [all, among] (``exhaustive``: by
    comparing each with every row, all terms counted, as the benchmark does to check the search; ``fade``:
    see ``neighbour_edges``)."""
    block = matrix[idx]
    n = matrix.shape[0]
    c = min(CANDIDATES_PER_NEIGHBOUR * k, n - 1)
    if exhaustive or c <= k:  # else every other row is a candidate: the exact product costs no more
        return _every_row(block, transposed, idx, k, fade, among)
    sim = (_heaviest(block, SEARCH_MASS, common) @ transposed).tocoo()
    r, j, v = sim.row.astype(np.int64), sim.col.astype(np.int64), sim.data
    other = j != idx[r]
    r, j, v = r[other], j[other], v[other]
    cr, cj, _ = _top(r, j, v, c)
    if among is not None:
        inside = among[j] & among[idx[r]]
        ar, aj, _ = _top(r[inside], j[inside], v[inside], c)
        key = np.sort(np.r_[cr * n + cj, ar * n + aj])  # the candidates of both lists, each once
        key = key[np.r_[True, key[1:] != key[:-1]]]
        cr, cj = key // n, key % n
    exact = _dots(block, matrix, cr, cj)
    if fade is not None:
        exact = exact * fade(idx[cr], cj)
    masks = [slice(None)] if among is None else [slice(None), among[cj] & among[idx[cr]]]
    out = []
    for mask in masks:
        tr, tj, tv = _top(cr[mask], cj[mask], exact[mask], k)
        keep = tv > 0
        out.append((idx[tr[keep]], tj[keep], tv[keep].astype(np.float32)))
    return out if among is not None else out + out


def _every_row(block, transposed, idx: np.ndarray, k: int, fade, among):
    """``_block_neighbours`` by the dense product of the block with every row."""
    n = transposed.shape[1]
    sim = (block @ transposed).toarray()
    sim[np.arange(len(idx)), idx] = -1.0
    if fade is not None:
        sim = sim * fade(idx[:, None], np.arange(n)[None, :])
    out = []
    for cols in ([None] if among is None else [None, among]):
        if cols is not None:
            sim = np.where(cols[None, :] & cols[idx, None], sim, -1.0)
        kk = min(k, n - 1)
        top = np.argpartition(-sim, kk - 1, axis=1)[:, :kk]
        val = np.take_along_axis(sim, top, axis=1)
        keep = val > 0
        out.append((np.repeat(idx, kk)[keep.ravel()], top[keep], val[keep].astype(np.float32)))
    return out if among is not None else out + out


def _top(r: np.ndarray, j: np.ndarray, v: np.ndarray, c: int):
    """Of (row, column, value) triples, each row's ``c`` of highest value (ties: the lower column)."""
    order = np.lexsort((j, -v, r))
    r, j, v = r[order], j[order], v[order]
    first = np.searchsorted(r, r, side="left")
    keep = np.arange(len(r)) - first < c
    return r[keep], j[keep], v[keep]


def _dots(block: sp.csr_matrix, matrix: sp.csr_matrix, rows: np.ndarray, others: np.ndarray,
          chunk: int = 1 << 16) -> np.ndarray:
    """Exact cosines of block row ``rows[i]`` and matrix row ``others[i]``, a chunk of pairs at a time."""
    out = np.empty(len(rows), np.float64)
    for s in range(0, len(rows), chunk):
        e = min(s + chunk, len(rows))
        out[s:e] = np.asarray(block[rows[s:e]].multiply(matrix[others[s:e]]).sum(axis=1)).ravel()
    return out


def _cores() -> int:
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(8, os.cpu_count() or 1))
