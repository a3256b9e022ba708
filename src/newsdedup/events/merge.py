"""Merging stories into events over a sparse nearest-neighbour graph, best links first.

Each story is linked to its ``link_neighbours`` most similar others that are at least ``link_similarity``
alike (cosine of their vectors), with the weight cosine ** ``link_power``: the graph holds about k links a
story, so memory stays linear in stories, never n by n.

Two events merge when a large enough share of the link weight of the smaller one goes to the other (its
links to the other / all its links >= ``link_share``). The share is measured against the events' own
links, not against a fixed similarity, and that is what keeps apart two events of one kind: the reports of
a pirate attack in 2008 and those of another in 2011 are alike (same topic words), but each report's
nearest neighbours are the other reports of its own attack, so few of its links cross. A similarity
threshold cannot do this: reports of one happening are less alike in one folder (long features, short
briefs) than two happenings of one kind in another. And the share does not drift with size: a big event's
summed vector grows smooth and looks like anything of its topic (how centroid linkage snowballs a topic
into one giant "event"), but its links still go to its own stories.

A guard against chains: the mean cosine over all pairs of stories of the two events must reach
``mean_similarity``; two bags of unrelated briefs whose members each match one member of the other bag are
linked closely but are not one happening.

Both steps are generators: they yield how far they have got after every block of rows and every round of
merges, so a caller can report progress and stop them between two yields; their result is their return
value (``edges = yield from neighbour_edges(...)``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from newsdedup.events.undated import clear_joins, inner_similarity, one_dated_each

LEVEL_STEP = 0.9  # each level of merging takes links at least this fraction of the one before
BLOCK_CELLS = 4_000_000  # similarities computed at once: block rows x all rows (16 MB of float32)
MAX_BLOCK = 64  # rows per block at most, so a small folder reports progress often too


def neighbour_edges(matrix: sp.csr_matrix, k: int, fade=None) -> Generator[int, None, tuple]:
    """Each row's k most similar other rows (cosine, rows are unit vectors), as (i, j, similarity), i < j:
    the k best by exact cosine among the candidates its heaviest terms find (see ``SEARCH_MASS``). With
    ``fade`` (rows i, rows j -> factors), a similarity is the cosine times its factor (see ``timing``): the
    time between two stories.

    Yields the number of rows done after every block; memory is a few blocks of rows x n, never n x n.
    Blocks are computed on all the machine's cores (scipy's sparse product lets go of the GIL), at most
    two per core at a time; stopping the generator waits for those and starts no more."""
    n = matrix.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    block = max(1, min(MAX_BLOCK, BLOCK_CELLS // n))
    starts = list(range(0, n, block))
    transposed = matrix.T.tocsr()  # CSR: a CSC operand would be converted again for every block
    workers = _cores()
    found = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neighbours")
    try:
        pending: deque = deque()
        for s in starts:
            pending.append(pool.submit(_block_neighbours, matrix, transposed, s, min(s + block, n), k, False,
                                       fade))
            if len(pending) >= 2 * workers:
                found.append(pending.popleft().result())
                yield min(len(found) * block, n)  # blocks finish in order: rows done so far
        while pending:
            found.append(pending.popleft().result())
            yield min(len(found) * block, n)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    i = np.concatenate([f[0] for f in found])
    j = np.concatenate([f[1] for f in found])
    v = np.concatenate([f[2] for f in found])
    a, b = np.minimum(i, j), np.maximum(i, j)
    key, first = np.unique(a * n + b, return_index=True)
    return key // n, key % n, v[first]


# The search for each story's nearest neighbours looks with the story's heaviest terms only, those holding
# this share of its squared weight (the many light terms cost most of the sparse product and rarely decide
# who is nearest), takes CANDIDATES_PER_NEIGHBOUR x k candidates, and ranks them by their exact cosine.
# On the 50,547 stories of ../shared/eval: 99.4% of the exact search's links found, 1.8x faster.
SEARCH_MASS = 0.9
CANDIDATES_PER_NEIGHBOUR = 4


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


def _block_neighbours(matrix, transposed, s: int, e: int, k: int, exhaustive: bool = False, fade=None):
    """Rows s..e-1: each one's k most similar other rows with a positive similarity (``exhaustive``: by
    comparing each with every row, all terms counted, as the benchmark does to check the search; ``fade``:
    see ``neighbour_edges``)."""
    block = matrix[s:e]
    c = min(CANDIDATES_PER_NEIGHBOUR * k, matrix.shape[0] - 1)
    if c > k and not exhaustive:  # else every other row is a candidate: the exact product costs no more
        sim = (_heaviest(block, SEARCH_MASS) @ transposed).toarray()
        sim[np.arange(e - s), np.arange(s, e)] = -1.0
        cand = np.argpartition(-sim, c - 1, axis=1)[:, :c]
        pairs = block[np.repeat(np.arange(e - s), c)].multiply(matrix[cand.ravel()])
        exact = np.asarray(pairs.sum(axis=1)).reshape(e - s, c)
        if fade is not None:
            exact = exact * fade(np.repeat(np.arange(s, e), c).reshape(e - s, c), cand)
        pick = np.argpartition(-exact, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(cand, pick, axis=1)
        val = np.take_along_axis(exact, pick, axis=1)
    else:
        sim = (block @ transposed).toarray()
        sim[np.arange(e - s), np.arange(s, e)] = -1.0
        if fade is not None:
            sim = sim * fade(np.arange(s, e)[:, None], np.arange(matrix.shape[0])[None, :])
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        val = np.take_along_axis(sim, top, axis=1)
    keep = val > 0
    return np.repeat(np.arange(s, e), k)[keep.ravel()], top[keep], val[keep]


def _cores() -> int:
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(8, os.cpu_count() or 1))


def merge_events(matrix, graph: LinkGraph, start: np.ndarray, lo: np.ndarray, hi: np.ndarray, apart: np.ndarray,
                 settings, undated: str = "") -> Generator[float, None, np.ndarray]:
    """Agglomerative merging over the neighbour graph; returns each row's event number.

    Levels of similarity descend geometrically from the strongest link to the threshold; at each level,
    events that are each other's best candidate merge in vectorised rounds until none at that level is
    left, and events whose best candidate is one of such a pair join it in the same round (``_joined``).
    So strong links are taken before weak ones (as in one-at-a-time agglomeration) without a Python step
    per merge. Yields the share of the way from the first level to the threshold after every round.

    Run three times (see ``undated``): for the dated stories (``undated`` empty: dated events merge only with
    dated ones), for the undated ones among themselves ("apart"), then for undated events joining dated
    ones ("join")."""
    labels = np.asarray(start, dtype=np.int64)
    level = 1.0
    floor = np.log(max(settings.link_share, 1e-6))
    share = 0.0
    known = (np.empty(0, np.int64), np.empty(0, np.float64))  # dot products of pairs of unchanged events
    while True:
        x, y, sim, events, known = yield from _candidate_links(matrix, graph, labels, lo, hi, apart, settings,
                                                               known, share, undated)
        if len(x) == 0:
            break
        top = float(sim.max())
        while level > top and level > settings.link_share:
            level = max(level * LEVEL_STEP, settings.link_share)
        ok = sim >= level
        if not ok.any():
            break
        x, y, sim = x[ok], y[ok], sim[ok]
        target = _joined(_best_partner(x, y, sim, len(events.sizes)), events, labels, apart, level, settings)
        new_id = np.unique(target, return_inverse=True)[1]
        known = _carried(known, target, new_id)
        labels = new_id[labels]
        share = min(1.0, np.log(level) / floor) if floor < 0 else 1.0
        yield share
    return labels


class LinkGraph(NamedTuple):
    a: np.ndarray  # the links, i < j
    b: np.ndarray
    links: sp.csr_matrix  # symmetric, story by story, weight cosine ** link_power
    degree: np.ndarray  # each story's summed link weight


def link_graph(edges, n: int, settings, matrix=None) -> LinkGraph:
    """The links of at least ``link_similarity``, each weighing its similarity ** ``link_power``.

    With ``matrix`` (the similarities of ``edges`` having faded with time, see ``timing``), a story's link
    weight (its degree) counts each link at its plain cosine, and the link itself at its faded one: so a
    story whose nearest neighbours are all weeks away sends a small share of its weight to any of them,
    and stays on its own, rather than sending all of it to the least distant."""
    a, b, v = edges
    plain = v if matrix is None else np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    keep = plain >= settings.link_similarity
    a, b = a[keep], b[keep]
    w = v[keep].astype(np.float64) ** settings.link_power
    links = sp.csr_matrix((np.r_[w, w], (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    p = plain[keep].astype(np.float64) ** settings.link_power
    degree = np.bincount(np.r_[a, b], weights=np.r_[p, p], minlength=n)
    return LinkGraph(a, b, links, degree)


def _candidate_links(matrix, graph: LinkGraph, labels, lo, hi, apart, settings, known, share: float,
                     undated: str):
    """Pairs of current events joined by a link, allowed by dates and corrections, whose link share
    reaches the threshold and whose stories cohere, with the share, as the return value; yields ``share``
    between its steps (on a big folder one round takes a while).

    ``known`` holds the dot products of pairs whose events did not change since they were computed
    (sorted pair codes, values): only the pairs touching a changed event are computed again. The return
    value carries the dot products of all candidate pairs, for the next round."""
    n_events = int(labels.max()) + 1
    members = sp.csr_matrix((np.ones(len(labels), np.float32), (labels, np.arange(len(labels)))),
                            shape=(n_events, len(labels)))
    sums = members @ matrix
    ev_links = (members @ graph.links @ members.T).tocsr()
    ev_degree = members @ graph.degree
    yield share
    ev_lo = _reduce(labels, lo, n_events, np.fmin)
    ev_hi = _reduce(labels, hi, n_events, np.fmax)
    x, y = labels[graph.a], labels[graph.b]
    pair = np.unique(np.minimum(x, y) * n_events + np.maximum(x, y))
    x, y = pair // n_events, pair % n_events
    keep = (x != y) & _dates_allow(ev_lo, ev_hi, x, y, settings, undated) & _not_apart(labels, apart, x, y, n_events)
    x, y, pair = x[keep], y[keep], pair[keep]
    yield share
    codes, values = known
    at = np.minimum(np.searchsorted(codes, pair), max(len(codes) - 1, 0))
    hit = codes[at] == pair if len(codes) else np.zeros(len(pair), bool)
    dots = np.empty(len(pair), np.float64)
    dots[hit] = values[at[hit]]
    dots[~hit] = yield from _dots(sums, x[~hit], y[~hit], share)
    sizes = np.asarray(members.sum(axis=1)).ravel()
    mean_pair = dots / (sizes[x] * sizes[y])
    weight = np.asarray(ev_links[x, y]).ravel()
    sim = _link_share(weight, ev_degree[x], ev_degree[y])
    ok = (sim >= settings.link_share) & (mean_pair >= settings.mean_similarity)
    if undated == "join":
        ok &= clear_joins(x, y, weight, mean_pair, ~np.isnan(ev_lo), inner_similarity(sums, sizes), settings)
    events = _Events(sums, sizes, ev_lo, ev_hi, ev_links, ev_degree)
    return x[ok], y[ok], sim[ok], events, (pair, dots)


def _link_share(weight, degree_x, degree_y) -> np.ndarray:
    """The share of the smaller event's link weight that goes to the other event."""
    return weight / np.maximum(np.minimum(degree_x, degree_y), 1e-12)


def _carried(known, target: np.ndarray, new_id: np.ndarray):
    """The known dot products that still hold after a round (both events unchanged), renumbered."""
    n = len(target)
    codes, values = known
    unchanged = (target == np.arange(n)) & (np.bincount(target, minlength=n) == 1)
    x, y = codes // n, codes % n
    keep = unchanged[x] & unchanged[y]
    m = int(new_id.max()) + 1
    codes = new_id[x[keep]] * m + new_id[y[keep]]  # renumbering keeps the order of unchanged events
    order = np.argsort(codes, kind="stable")
    return codes[order], values[keep][order]


class _Events(NamedTuple):
    sums: sp.csr_matrix  # summed story vectors, one row per event
    sizes: np.ndarray  # stories per event
    lo: np.ndarray  # first and last day of the event's dated stories (NaN: none dated)
    hi: np.ndarray
    links: sp.csr_matrix  # summed link weight between two events (diagonal: twice the event's own)
    degree: np.ndarray  # summed link weight of the event's stories


def _joined(best: np.ndarray, events: _Events, labels, apart, level: float, settings) -> np.ndarray:
    """The event each event becomes this round: pairs that are each other's best partner merge, and every
    other event whose best partner is one of such a pair joins them in the same round (so a big event takes
    in all its stories in a few rounds, not one per round), as long as the joined group as a whole keeps
    within the date window, holds no cannot-linked pair, and each joiner is still alike enough to (and
    coheres with) the rest of its group. Joiners that do not fit stay where they are for the next round."""
    n = len(best)
    ids = np.arange(n)
    partner = np.maximum(best, 0)
    mutual = (best >= 0) & (best[partner] == ids)
    target = np.where(mutual, np.minimum(ids, partner), ids)
    joiners = np.flatnonzero((best >= 0) & ~mutual & mutual[partner])
    if len(joiners) == 0:
        return target
    hub_lo = np.fmin(events.lo, events.lo[partner])  # the mutual pair's dates, for its joiners
    hub_hi = np.fmax(events.hi, events.hi[partner])
    proposed = target.copy()
    proposed[joiners] = target[best[joiners]]
    for _ in range(8):
        fits = _joiners_fit(joiners, proposed, best, hub_lo, hub_hi, events, labels, apart, level, settings)
        fits &= one_dated_each(joiners, proposed, ~np.isnan(events.lo))
        if fits.all():
            return proposed
        proposed[joiners[~fits]] = joiners[~fits]
        joiners = joiners[fits]
    return target


def _joiners_fit(joiners, proposed, best, hub_lo, hub_hi, events: _Events, labels, apart, level,
                 settings) -> np.ndarray:
    """Which joiners may join the group ``proposed`` puts them in (see ``_joined``)."""
    n = len(proposed)
    fits = np.ones(len(joiners), bool)
    # dates: a group that would break the window or leave a long silence keeps only the joiners that are
    # undated or lie within their mutual pair's days (those can neither widen nor split its span)
    bad_groups = ~_groups_dated_ok(proposed, events.lo, events.hi, settings)
    if bad_groups.any():
        pair = best[joiners]
        undated = np.isnan(events.lo[joiners])
        inside = undated | (~np.isnan(hub_lo[pair]) & (events.lo[joiners] >= hub_lo[pair])
                            & (events.hi[joiners] <= hub_hi[pair]))
        fits &= ~bad_groups[proposed[joiners]] | inside
    # cannot-links: no joiner may bring in a story cannot-linked to one already in the group
    if len(apart):
        p, q = labels[apart[:, 0]], labels[apart[:, 1]]
        clash = (proposed[p] == proposed[q]) & (p != q)
        if clash.any():
            fits &= ~np.isin(joiners, np.concatenate([p[clash], q[clash]]))
    # link share and mean similarity of each joiner with the rest of its group
    groups = sp.csr_matrix((np.ones(n, np.float32), (proposed, np.arange(n))), shape=(n, n))
    group_sums = groups @ events.sums
    group_sizes = groups @ events.sizes
    own = events.sums[joiners]
    whole = group_sums[proposed[joiners]]
    d = np.asarray(own.multiply(whole).sum(axis=1)).ravel().astype(np.float64)
    dz = np.asarray(own.multiply(own).sum(axis=1)).ravel().astype(np.float64)
    cross = d - dz  # dot product of the joiner's summed vector and the rest of the group's
    pairs = events.sizes[joiners] * (group_sizes[proposed[joiners]] - events.sizes[joiners])
    to_group = (events.links[joiners] @ groups.T).tocsr()  # the joiners' rows only
    weight = (np.asarray(to_group[np.arange(len(joiners)), proposed[joiners]]).ravel()
              - events.links.diagonal()[joiners])
    rest_degree = (groups @ events.degree)[proposed[joiners]] - events.degree[joiners]
    fits &= _link_share(weight, events.degree[joiners], rest_degree) >= level
    fits &= cross / np.maximum(pairs, 1) >= settings.mean_similarity
    return fits


def _groups_dated_ok(group, lo, hi, settings) -> np.ndarray:
    """Per group (index = group number): its dated members span at most the window, without a long gap."""
    n = len(group)
    g_lo = _reduce(group, lo, n, np.fmin)
    g_hi = _reduce(group, hi, n, np.fmax)
    with np.errstate(invalid="ignore"):
        ok = ~(g_hi - g_lo > settings.window_days)
    dated = np.flatnonzero(~np.isnan(lo))
    if len(dated) < 2 or settings.gap_days is None:
        return ok
    order = dated[np.lexsort((lo[dated], group[dated]))]
    g, first, last = group[order], lo[order], hi[order]
    offset = g.astype(np.float64) * 1e8  # day numbers are < 1e7: a running maximum never crosses groups
    latest = np.maximum.accumulate(last + offset) - offset  # last day seen so far in the group
    same = g[1:] == g[:-1]
    silent = same & (first[1:] - latest[:-1] > settings.gap_days)
    ok[g[1:][silent]] = False
    return ok


def _reduce(labels, values, n, ufunc) -> np.ndarray:
    out = np.full(n, np.nan)
    ufunc.at(out, labels, values)
    return out


def _dates_allow(lo, hi, x, y, settings, undated: str) -> np.ndarray:
    """Dated events only, within the window (and without a long gap); with ``undated`` "apart", undated
    events only; "join": pairs with at least one undated event (see ``undated``)."""
    if undated == "apart":
        return np.isnan(lo[x]) & np.isnan(lo[y])
    if undated == "join":
        return np.isnan(lo[x]) | np.isnan(lo[y])
    span = np.fmax(hi[x], hi[y]) - np.fmin(lo[x], lo[y])
    with np.errstate(invalid="ignore"):
        ok = ~(span > settings.window_days)
        if settings.gap_days is not None:
            ok &= ~(np.maximum(lo[x], lo[y]) - np.minimum(hi[x], hi[y]) > settings.gap_days)
    return ok & ~np.isnan(lo[x]) & ~np.isnan(lo[y])


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
