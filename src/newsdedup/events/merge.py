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

The neighbours are found by ``neighbours``, and their graph made by ``links``. Merging is a generator: it yields how far it has got after
every round of merges, so a caller can report progress and stop it between two yields; its result is its
return value (``labels = yield from merge_events(...)``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from newsdedup.events.links import LinkGraph, row_dots
from newsdedup.events.subjects import one_subject, one_subject_each
from newsdedup.events.undated import (
    Strongest,
    alike_across,
    best_undated,
    clear_joins,
    event_bars,
    folder_clear,
    inner_similarity,
    joiner_alike,
    one_dated_each,
    undated_bars,
)
from newsdedup.signatures import distinct

LEVEL_STEP = 0.9  # each level of merging takes links at least this fraction of the one before


def merge_events(matrix, graph: LinkGraph, start: np.ndarray, lo: np.ndarray, hi: np.ndarray, apart: np.ndarray,
                 settings, undated: str = "",
                 clear: float | None = None) -> Generator[float, None, np.ndarray]:
    """Agglomerative merging over the neighbour graph; returns each row's event number.

    Levels of similarity descend geometrically from the strongest link to the threshold; at each level,
    events that are each other's best candidate merge in vectorised rounds until none at that level is
    left, and events whose best candidate is one of such a pair join it in the same round (``_joined``).
    So strong links are taken before weak ones (as in one-at-a-time agglomeration) without a Python step
    per merge. Yields the share of the way from the first level to the threshold after every round.

    Run three times (see ``undated``): for the dated stories (``undated`` empty: dated events merge only with
    dated ones), for the undated ones among themselves ("apart"), then for undated events joining dated
    ones ("join"). ``clear``: the folder's share of undated stories with a clear best match (see
    ``undated.folder_clear``), when the graph holds only part of the folder; else taken from the graph."""
    labels = np.asarray(start, dtype=np.int64)
    level = 1.0
    floor = np.log(max(settings.link_share, 1e-6))
    share = 0.0
    known = (np.empty(0, np.int64), np.empty(0, np.float64))  # dot products of pairs of unchanged events
    events = _events_of(matrix, graph, labels, lo, hi)
    yield share  # each step before the rounds takes seconds at 100,000 stories: a report between them
    bars = None  # per story: how alike across two undated events must be, a share of their cohesion
    if undated and len(graph.a):
        v = np.asarray(graph.links[graph.a, graph.b]).ravel() ** (1.0 / settings.link_power)
        if clear is None:
            clear = folder_clear(graph.a, graph.b, v, np.isnan(lo), settings)
            yield share
        bars = undated_bars(graph.a, graph.b, v, np.isnan(lo), settings, clear)
        yield share
    while True:
        x, y, sim, known = yield from _candidate_links(events, graph, labels, apart, settings, known, share,
                                                       undated, bars)
        if len(x) == 0:
            break
        top = float(sim.max())
        while level > top and level > settings.link_share:
            level = max(level * LEVEL_STEP, settings.link_share)
        ok = sim >= level
        if not ok.any():
            break
        x, y, sim = x[ok], y[ok], sim[ok]
        best = _best_partner(x, y, sim, len(events.sizes))
        target = _joined(best, events, labels, apart, level, settings, bars)
        new_id = _renumbered(target)
        known = _carried(known, target, new_id)
        yield share  # the merged events' sums and links below take a second at 400,000 stories
        events = _merged(events, new_id[target])
        labels = new_id[labels]
        share = min(1.0, np.log(level) / floor) if floor < 0 else 1.0
        yield share
    return labels


def _candidate_links(events: _Events, graph: LinkGraph, labels, apart, settings, known, share: float,
                     undated: str, bars: np.ndarray | None = None):
    """Pairs of current events joined by a link, allowed by dates and corrections, whose link share
    reaches the threshold and whose stories cohere, with the share, as the return value; yields ``share``
    between its steps (on a big folder one round takes a while).

    ``known`` holds the dot products of pairs whose events did not change since they were computed
    (sorted pair codes, values): only the pairs touching a changed event are computed again. The return
    value carries the dot products of all candidate pairs, for the next round. ``bars``: per story, two
    undated events merge only when their stories are this share as alike across as within (see
    ``undated.alike_across``)."""
    n_events = len(events.sizes)
    x, y = labels[graph.a], labels[graph.b]
    pair = distinct(np.minimum(x, y) * n_events + np.maximum(x, y))
    x, y = pair // n_events, pair % n_events
    keep = (x != y) & _dates_allow(events.lo, events.hi, x, y, settings, undated)
    keep &= _not_apart(labels, apart, x, y, n_events)
    keep &= one_subject(events.sub_lo, events.sub_hi, x, y)
    x, y, pair = x[keep], y[keep], pair[keep]
    yield share
    codes, values = known
    at = np.minimum(np.searchsorted(codes, pair), max(len(codes) - 1, 0))
    hit = codes[at] == pair if len(codes) else np.zeros(len(pair), bool)
    dots = np.empty(len(pair), np.float64)
    dots[hit] = values[at[hit]]
    dots[~hit] = yield from row_dots(events.sums, x[~hit], y[~hit], share)
    sizes = events.sizes
    mean_pair = dots / (sizes[x] * sizes[y])
    weight = np.asarray(events.links[x, y]).ravel()
    sim = _link_share(weight, events.degree[x], events.degree[y])
    ok = (sim >= settings.link_share) & (mean_pair >= settings.mean_similarity)
    if undated:
        w = np.asarray(graph.links[graph.a, graph.b]).ravel() if len(graph.a) else np.zeros(0)
        strongest = Strongest(graph.a, graph.b, w, labels, ~np.isnan(events.lo))
        ok &= best_undated(x, y, strongest, settings.undated_margin)
        inner = inner_similarity(events.sums, sizes)
        yield share  # every event's own sum squared: a second at 400,000 stories
        if bars is not None:
            summed = event_bars(bars, labels, n_events)
            bar = (summed[x] + summed[y]) / (sizes[x] + sizes[y])
            ok &= alike_across(x, y, mean_pair, inner, ~np.isnan(events.lo), bar)
        if undated == "join":
            ok &= clear_joins(x, y, weight, strongest, mean_pair, ~np.isnan(events.lo), inner, settings)
    return x[ok], y[ok], sim[ok], (pair, dots)


def _events_of(matrix, graph: LinkGraph, labels, lo, hi) -> _Events:
    """The events ``labels`` make of the stories: built once, then carried from round to round (``_merged``)."""
    n_events = int(labels.max()) + 1
    members = sp.csr_matrix((np.ones(len(labels), np.float32), (labels, np.arange(len(labels)))),
                            shape=(n_events, len(labels)))
    return _Events(sp.csr_matrix(members @ matrix), np.bincount(labels, minlength=n_events).astype(np.float64),
                   _reduce(labels, lo, n_events, np.fmin), _reduce(labels, hi, n_events, np.fmax),
                   (members @ graph.links @ members.T).tocsr(), members @ graph.degree,
                   _reduce(labels, graph.subjects, n_events, np.fmin), _reduce(labels, graph.subjects, n_events, np.fmax))


def _merged(events: _Events, into: np.ndarray) -> _Events:
    """The events after a round that put old event e into new event ``into[e]``: an event that took in no
    other keeps its summed vector as it is, only the merged ones are summed anew (rebuilding every event's
    sum from its stories each round was most of a round's time)."""
    m = int(into.max()) + 1
    count = np.bincount(into, minlength=m)
    solo = np.flatnonzero(count[into] == 1)  # old events that are a new event on their own
    grown = np.flatnonzero(count > 1)
    to_new = sp.csr_matrix((np.ones(len(into), np.float32), (into, np.arange(len(into)))), shape=(m, len(into)))
    stacked = sp.vstack([events.sums[solo], to_new[grown] @ events.sums], format="csr")
    sums = stacked[np.argsort(np.r_[into[solo], grown], kind="stable")]
    return _Events(sums, np.bincount(into, weights=events.sizes, minlength=m),
                   _reduce(into, events.lo, m, np.fmin), _reduce(into, events.hi, m, np.fmax),
                   (to_new @ events.links @ to_new.T).tocsr(), np.bincount(into, weights=events.degree, minlength=m),
                   _reduce(into, events.sub_lo, m, np.fmin), _reduce(into, events.sub_hi, m, np.fmax))


def _renumbered(ids: np.ndarray) -> np.ndarray:
    """Small non-negative ids renumbered 0..m-1 in their order (np.unique's inverse, without its sort)."""
    used = np.zeros(int(ids.max()) + 1 if len(ids) else 0, np.int64)
    used[ids] = 1
    return (np.cumsum(used) - 1)[ids]


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
    sub_lo: np.ndarray  # lowest and highest ticker number its stories name (NaN: none)
    sub_hi: np.ndarray


def _joined(best: np.ndarray, events: _Events, labels, apart, level: float, settings,
            bars: np.ndarray | None = None) -> np.ndarray:
    """The event each event becomes this round: pairs that are each other's best partner merge, and every
    other event whose best partner is one of such a pair joins them in the same round (so a big event takes
    in all its stories in a few rounds, not one per round), as long as the joined group as a whole keeps
    within the date window, holds no cannot-linked pair, and each joiner is still alike enough to (and
    coheres with) the rest of its group, and (``bars``) an undated joiner of an undated pair is about as alike
    to the rest of its group as each is to itself. Joiners that do not fit stay where they are for the next
    round."""
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
        fits = _joiners_fit(joiners, proposed, best, hub_lo, hub_hi, events, labels, apart, level, settings,
                            bars)
        fits &= one_dated_each(joiners, proposed, ~np.isnan(events.lo))
        fits &= one_subject_each(joiners, proposed, events.sub_lo, events.sub_hi)
        if fits.all():
            return proposed
        proposed[joiners[~fits]] = joiners[~fits]
        joiners = joiners[fits]
    return target


def _joiners_fit(joiners, proposed, best, hub_lo, hub_hi, events: _Events, labels, apart, level,
                 settings, bars: np.ndarray | None = None) -> np.ndarray:
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
    theirs = groups[proposed[joiners]]  # each joiner's group: only those groups are summed, not all n
    own = events.sums[joiners]
    whole = theirs @ events.sums
    d = np.asarray(own.multiply(whole).sum(axis=1)).ravel().astype(np.float64)
    dz = np.asarray(own.multiply(own).sum(axis=1)).ravel().astype(np.float64)
    cross = d - dz  # dot product of the joiner's summed vector and the rest of the group's
    pairs = events.sizes[joiners] * (theirs @ events.sizes - events.sizes[joiners])
    to_group = (events.links[joiners] @ groups.T).tocsr()  # the joiners' rows only
    weight = (np.asarray(to_group[np.arange(len(joiners)), proposed[joiners]]).ravel()
              - events.links.diagonal()[joiners])
    rest_degree = theirs @ events.degree - events.degree[joiners]
    fits &= _link_share(weight, events.degree[joiners], rest_degree) >= level
    fits &= cross / np.maximum(pairs, 1) >= settings.mean_similarity
    if bars is not None:
        summed = theirs @ event_bars(bars, labels, n)  # the joiner's whole group's
        bar = summed / np.maximum(theirs @ events.sizes, 1)
        # the squared norm of the summed vector of the rest of the group
        rest = np.asarray(whole.multiply(whole).sum(axis=1)).ravel() - 2 * d + dz
        undated = np.isnan(events.lo[joiners]) & np.isnan(hub_lo[best[joiners]])
        fits &= ~undated | joiner_alike(cross, pairs, rest, theirs @ events.sizes - events.sizes[joiners],
                                        inner_similarity(events.sums[joiners], events.sizes[joiners]), bar)
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
