"""Merging stories into events over a sparse nearest-neighbour graph, best links first.

Two events are candidates to merge only if some of their stories are near neighbours (each story's
``neighbours`` most similar others), so memory stays linear in stories, never n by n. Candidates merge when
their similarity reaches a threshold: by default the cosine of the two events' summed story vectors
(centroid linkage), or the mean cosine over all their pairs of stories (average linkage, exact: the dot
product of the summed vectors divided by the number of pairs).

Centroid linkage alone can snowball: a big event's summed vector is smooth, so it looks like anything of
its topic, and joins one story after another until it holds a whole topic (a giant "event" of a thousand
wire stories about grain). The guard: a merge also needs the mean cosine over all pairs of stories of the
two events to reach ``coherence`` times the threshold, which the stories of one happening do and a drifting
chain of stories does not.

Both steps are generators: they yield how far they have got after every block of rows and every round of
merges, so a caller can report progress and stop them between two yields; their result is their return
value (``edges = yield from neighbour_edges(...)``).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import scipy.sparse as sp

LEVEL_STEP = 0.9  # each level of merging takes links at least this fraction of the one before
BLOCK_CELLS = 4_000_000  # similarities computed at once: block rows x all rows (16 MB of float32)
MAX_BLOCK = 64  # rows per block at most, so a small folder reports progress often too


def neighbour_edges(matrix: sp.csr_matrix, k: int) -> Generator[int, None, tuple]:
    """Each row's k most similar other rows (cosine, rows are unit vectors), as (i, j, similarity), i < j.

    Yields the number of rows done after every block; memory is a block of rows x n, never n x n."""
    n = matrix.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    block = max(1, min(MAX_BLOCK, BLOCK_CELLS // n))
    rows, cols, sims = [], [], []
    transposed = matrix.T.tocsc()
    for s in range(0, n, block):
        e = min(s + block, n)
        sim = (matrix[s:e] @ transposed).toarray()
        sim[np.arange(e - s), np.arange(s, e)] = -1.0
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        val = np.take_along_axis(sim, top, axis=1)
        keep = val > 0
        rows.append(np.repeat(np.arange(s, e), k)[keep.ravel()])
        cols.append(top[keep])
        sims.append(val[keep])
        yield e
    i, j, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)
    a, b = np.minimum(i, j), np.maximum(i, j)
    key, first = np.unique(a * n + b, return_index=True)
    return key // n, key % n, v[first]


def merge_events(matrix, edges, start: np.ndarray, lo: np.ndarray, hi: np.ndarray, apart: np.ndarray,
                 settings) -> Generator[float, None, np.ndarray]:
    """Agglomerative merging over the neighbour graph; returns each row's event number.

    Levels of similarity descend geometrically from the strongest link to the threshold; at each level,
    events that are each other's best candidate merge in vectorised rounds until none at that level is
    left. So strong links are taken before weak ones (as in one-at-a-time agglomeration) without a Python
    step per merge. Yields the share of the way from the first level to the threshold after every round."""
    labels = np.asarray(start, dtype=np.int64)
    a, b, _ = edges
    level = 1.0
    floor = np.log(max(settings.similarity, 1e-6))
    share = 0.0
    while True:
        x, y, sim, n_events = yield from _candidate_links(matrix, labels, a, b, lo, hi, apart, settings, share)
        if len(x) == 0:
            break
        top = float(sim.max())
        while level > top and level > settings.similarity:
            level = max(level * LEVEL_STEP, settings.similarity)
        ok = sim >= level
        if not ok.any():
            break
        x, y, sim = x[ok], y[ok], sim[ok]
        best = _best_partner(x, y, sim, n_events)
        mutual = (best[x] == y) & (best[y] == x)
        target = np.arange(n_events)
        target[y[mutual]] = x[mutual]
        labels = np.unique(target, return_inverse=True)[1][labels]
        share = min(1.0, np.log(level) / floor) if floor < 0 else 1.0
        yield share
    return labels


def _candidate_links(matrix, labels, a, b, lo, hi, apart, settings, share: float):
    """Pairs of current events joined by a neighbour link, allowed by dates and corrections, whose
    similarity reaches the threshold (and, for centroid linkage, whose stories cohere), with it, as the
    return value; yields ``share`` between its steps (on a big folder one round takes a while)."""
    n_events = int(labels.max()) + 1
    members = sp.csr_matrix((np.ones(len(labels), np.float32), (labels, np.arange(len(labels)))),
                            shape=(n_events, len(labels)))
    sums = members @ matrix
    yield share
    ev_lo = _reduce(labels, lo, n_events, np.fmin)
    ev_hi = _reduce(labels, hi, n_events, np.fmax)
    x, y = labels[a], labels[b]
    pair = np.unique(np.minimum(x, y) * n_events + np.maximum(x, y))
    x, y = pair // n_events, pair % n_events
    keep = (x != y) & _dates_allow(ev_lo, ev_hi, x, y, settings) & _not_apart(labels, apart, x, y, n_events)
    x, y = x[keep], y[keep]
    yield share
    dots = yield from _dots(sums, x, y, share)
    sizes = np.asarray(members.sum(axis=1)).ravel()
    mean_pair = dots / (sizes[x] * sizes[y])
    if settings.linkage == "centroid":
        norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
        sim = dots / np.maximum(norms[x] * norms[y], 1e-12)
        ok = (sim >= settings.similarity) & (mean_pair >= settings.coherence * settings.similarity)
    else:
        sim = mean_pair
        ok = sim >= settings.similarity
    return x[ok], y[ok], sim[ok], n_events


def _reduce(labels, values, n, ufunc) -> np.ndarray:
    out = np.full(n, np.nan)
    ufunc.at(out, labels, values)
    return out


def _dates_allow(lo, hi, x, y, settings) -> np.ndarray:
    """Undated events merge with anything; dated ones only within the window and without a long gap."""
    span = np.fmax(hi[x], hi[y]) - np.fmin(lo[x], lo[y])
    gap = np.maximum(lo[x], lo[y]) - np.minimum(hi[x], hi[y])
    with np.errstate(invalid="ignore"):
        return ~(span > settings.window_days) & ~(gap > settings.gap_days)


def _not_apart(labels, apart: np.ndarray, x, y, n) -> np.ndarray:
    if len(apart) == 0:
        return np.ones(len(x), bool)
    p, q = labels[apart[:, 0]], labels[apart[:, 1]]
    banned = np.minimum(p, q) * n + np.maximum(p, q)
    return ~np.isin(np.minimum(x, y) * n + np.maximum(x, y), banned)


def _dots(sums, x, y, share: float, chunk: int = 32768):
    """Dot products of the summed story vectors of events x and y (yields ``share`` after each chunk)."""
    out = np.empty(len(x), np.float64)
    for s in range(0, len(x), chunk):
        e = min(s + chunk, len(x))
        out[s:e] = np.asarray(sums[x[s:e]].multiply(sums[y[s:e]]).sum(axis=1)).ravel()
        yield share
    return out


def _best_partner(x, y, sim, n) -> np.ndarray:
    """Each event's most similar candidate (ties to the lower id), -1 if none."""
    src = np.concatenate([x, y])
    dst = np.concatenate([y, x])
    s = np.concatenate([sim, sim])
    order = np.lexsort((dst, -s, src))
    src, dst = src[order], dst[order]
    first = np.r_[True, src[1:] != src[:-1]]
    best = np.full(n, -1)
    best[src[first]] = dst[first]
    return best
