"""Each story's nearest neighbours: the few most similar others, found without an n-by-n matrix.

Rows are unit TF-IDF vectors, so a dot product is a cosine. A story looks with its heaviest terms in an
index that keeps, for each term, only the ``POSTINGS`` stories that term weighs most in: a common word
("said", "percent") then costs each search at most that many stories, not a share of the folder, so the
search's time grows with the folder, not its square. Candidates at least ``CANDIDATE_FLOOR`` alike that
way are ranked by their exact cosine. The search runs in blocks of rows on all cores and yields after
every block, so a caller can report progress and stop it (see ``neighbour_edges``). Its recall against an
exhaustive search: ``benchmarks/events.py`` (``search_recall``) and the README's performance section.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from newsdedup.model import finish

BLOCK_CELLS = 4_000_000  # similarities computed at once by a dense search: block rows x all rows
REPORT_SECONDS = 0.5  # a report at least this often while the index is made
MAX_BLOCK = 64  # rows per block at most, so a small folder reports progress often too

# The search for each story's nearest neighbours looks with the story's heaviest terms only, those holding
# this share of its squared weight (the many light terms cost most of the sparse product and rarely decide
# who is nearest), in an index that keeps each term's POSTINGS heaviest stories only. Of the candidates at
# least CANDIDATE_FLOOR alike that way, the SHORTLIST x c best (c = CANDIDATES_PER_NEIGHBOUR x k) are
# compared exactly; the c most alike of those are ranked by their faded cosine and the k best kept.
SEARCH_MASS = 0.9
CANDIDATES_PER_NEIGHBOUR = 4
# A term's stories past the 1,000 it weighs most in cost a search nothing, so a story's search stops growing
# with the folder once its terms are that common: from 50,000 to 92,600 stories (the shared sets, then
# those and perturbed copies) the search grew as n^1.2 where the whole index grew as n^1.8 (34.5 s against
# 63.4 s at 92,600). Cut so, the index ranks a story's true neighbours lower (their common words no longer
# count); comparing SHORTLIST times as many exactly gives them back. Recall against an exhaustive search
# (plain nearest neighbours, 3,000 random stories): 99.2% at 50,000 and 99.15% at 92,600, as the whole
# index gave (99.2%). A floor of 0.04 lost no link (a link needs a cosine of 0.1) and spares sorting
# thousands of faint candidates a story.
POSTINGS = 1000
# Below this many stories every story of a term is looked at: the whole index costs little there, and
# where common words carry much of what stories share (a small folder of one kind of item) the cut
# loses links (an archive of 1,500 made-up stories whose words are mostly common: 96% against 98.5%).
WHOLE_INDEX_BELOW = 10 * POSTINGS
CANDIDATE_FLOOR = 0.04
SHORTLIST = 4


def neighbour_edges(matrix: sp.csr_matrix, k: int, fade=None, among: np.ndarray | None = None,
                    rows: np.ndarray | None = None) -> Generator[int, None, tuple]:
    """Each row's k most similar other rows (cosine, rows are unit vectors), as (i, j, similarity), i < j:
    the k best by exact cosine among the candidates its heaviest terms find in the index. With ``fade`` (rows i, rows j
    -> factors), a similarity is the cosine times its factor (see ``timing``): the time between two stories.

    With ``among`` (a mask of rows), returns two lists from the one search: that, and each of those rows' k
    most similar among those rows alone, numbered 0..among.sum()-1 (the dated stories, see ``cluster``).
    With ``rows`` (row numbers), only those rows look for their neighbours (a rescan, see ``incremental``).

    Yields the number of rows done after every block; memory is a few blocks of candidates, never n x n.
    Blocks are computed on all the machine's cores (scipy's sparse product lets go of the GIL), at most
    two per core at a time; stopping the generator waits for those and starts no more."""
    n = matrix.shape[0]
    k = min(k, n - 1)
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32))
    if k <= 0:
        return empty if among is None else (empty, empty)
    searched = np.arange(n) if rows is None else np.asarray(rows, np.int64)
    block = MAX_BLOCK
    index = matrix.T.tocsr()  # CSR: a CSC operand would be converted for every block
    yield 0  # the index takes seconds at 400,000 rows: reports while it is made, and before the blocks
    if n >= WHOLE_INDEX_BELOW:
        index = yield from postings_steps(index, POSTINGS)
    workers = _cores()
    found = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neighbours")
    try:
        pending: deque = deque()
        for s in range(0, len(searched), block):
            pending.append(pool.submit(_block_neighbours, matrix, index, searched[s:s + block], k, fade, among))
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
    first = np.r_[True, key[1:] != key[:-1]][:len(key)]
    return key[first] // n, key[first] % n, v[order][first]


def _heaviest(rows: sp.csr_matrix, mass: float) -> sp.csr_matrix:
    """Each row's heaviest terms, as many as hold ``mass`` of its squared weight (rows are unit vectors)."""
    rows = rows.tocsr(copy=True)
    r = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    order = np.lexsort((-rows.data, r))
    sq = rows.data[order].astype(np.float64) ** 2
    cum = np.cumsum(sq)
    before = cum - sq - np.r_[0.0, cum][rows.indptr[:-1]][r[order]]  # mass of the heavier terms of its row
    keep = np.empty(len(order), bool)
    keep[order] = before < mass
    rows.data[~keep] = 0
    rows.eliminate_zeros()
    return rows


def postings(transposed: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """The index: each term's row of ``transposed`` (terms x stories) cut to its ``keep`` heaviest stories."""
    return finish(postings_steps(transposed, keep))


def postings_steps(transposed: sp.csr_matrix, keep: int) -> Generator[int, None, sp.csr_matrix]:
    """``postings``, yielding 0 about every ``REPORT_SECONDS`` (the common terms' rows are most of the
    index: seconds at 400,000 stories)."""
    long = np.flatnonzero(np.diff(transposed.indptr) > keep)
    if not len(long):
        return transposed
    index = transposed.copy()
    last = time.monotonic()
    for t in long:  # the common terms only: each one's lightest stories out
        lo, hi = index.indptr[t], index.indptr[t + 1]
        light = np.argpartition(-index.data[lo:hi], keep - 1)[keep:]
        index.data[lo + light] = 0
        if time.monotonic() - last > REPORT_SECONDS:
            yield 0
            last = time.monotonic()
    yield 0
    index.eliminate_zeros()
    return index


def _block_neighbours(matrix, index, idx: np.ndarray, k: int, fade=None, among=None):
    """Rows ``idx``: each one's k most similar other rows with a positive similarity, as (rows, others,
    similarities), and with ``among`` the same among those rows alone: [all, among] (``fade``: see
    ``neighbour_edges``; the benchmark's exhaustive check is ``_every_row`` with every term's whole row)."""
    block = matrix[idx]
    n = matrix.shape[0]
    c = min(CANDIDATES_PER_NEIGHBOUR * k, n - 1)
    if c <= k:  # every other row is a candidate: the exact product costs no more
        return _every_row(block, index, idx, k, fade, among)
    found = _heaviest(block, SEARCH_MASS) @ index
    keep = found.data >= CANDIDATE_FLOOR
    rows = np.repeat(np.arange(len(idx)), np.diff(found.indptr))[keep]
    cols, approx = found.indices[keep].astype(np.int64), found.data[keep]
    other = cols != idx[rows]
    rows, cols, approx = rows[other], cols[other], approx[other]
    order = np.argsort(rows * 4.0 - approx, kind="stable")  # by row, then by value, highest first
    rows, cols = rows[order], cols[order]
    # each list's shortlist: the SHORTLIST x c best of its candidates (a list's candidates, filtered from
    # the sorted ones, stay sorted); their exact cosines are computed once for both lists
    lists = [np.arange(len(rows))]
    if among is not None:  # the same candidates, dated rows and columns only
        lists.append(np.flatnonzero(among[idx[rows]] & among[cols]))
    shortlists = [at[_leading(rows[at], SHORTLIST * c)] for at in lists]
    needed = np.zeros(len(rows), bool)
    for at in shortlists:
        needed[at] = True
    exact = np.zeros(len(rows))
    exact[needed] = _dots(block, matrix, rows[needed], cols[needed])
    out = [_best(idx, rows[at], cols[at], exact[at], c, k, fade) for at in shortlists]
    return out if among is not None else out + out


def _leading(rows: np.ndarray, most: int) -> np.ndarray:
    """Of items grouped by row (``rows`` sorted), which are among the first ``most`` of their row."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows) < most


def _best(idx, rows, cols, exact, c: int, k: int, fade):
    """Of the shortlisted candidates (block row ``rows[i]``, matrix row ``cols[i]``, exact cosine
    ``exact[i]``): each row's c most alike, ranked by their faded cosine: the k best above 0, as (rows,
    others, similarities)."""
    rows, cols, exact = _first_of_each(rows, cols, exact, c, exact)  # the c most alike, as the whole index finds
    if fade is not None:
        exact = exact * fade(idx[rows], cols)
    rows, cols, exact = _first_of_each(rows, cols, exact, k, exact)
    keep = exact > 0
    return idx[rows[keep]], cols[keep], exact[keep].astype(np.float32)


def _first_of_each(rows: np.ndarray, cols: np.ndarray, value: np.ndarray, most: int, *more: np.ndarray):
    """The ``most`` items of highest ``value`` (within -1..1) of each row, in row order (rows: block rows)."""
    order = np.argsort(rows * 4.0 - value, kind="stable")  # one key: by row, then by value, highest first
    rows = rows[order]
    lead = _leading(rows, most)
    pick = order[lead]
    return (rows[lead], cols[pick], *(m[pick] for m in more))


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
