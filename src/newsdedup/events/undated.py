"""Stories without a date join the dated events after those are formed, each to one event at most.

Merging runs twice (see ``merge.merge_events``). First dated stories merge with dated ones only: their dates
keep apart the episodes of a running story (a shutdown's first and third day, told in the same words). Then
undated stories merge with each other and join the dated events, under five rules:

- two undated stories do not merge when each matches a different dated event better than it matches the
  other (see ``best_undated``);
- where undated stories come in clear pairs or small groups (each story's best match clearly better than
  its next: a happening reported a few times), two undated events merge only when their stories are about
  as alike across as within (see ``undated_bars`` and ``alike_across``): reports of two happenings of one
  topic share the topic's words, and the link share alone would merge them;
- an event never holds two of the dated events formed first: an undated story that matches two episodes
  joins one of them, it does not bridge them, and what joins has no date, so no date range widens;
- an event of undated stories joins a dated event only when it matches that one clearly better than the
  next dated event (its link weight to it at least ``undated_margin`` times its weight to the next);
- and only when its stories are about as alike to that event's as to each other (``undated_cohesion``):
  two undated reports of one happening are alike; that they are also somewhat alike to an episode of the
  same running story does not make them that episode.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# A story's best match is clear when its link is at least CLEAR_MARGIN times as alike (cosine) as its next
# best, and the two are each other's best. Where that is rare among undated stories (at most FEW_CLEAR of
# them: a topic told many times, each story one of many alike), undated events merge by their link share
# alone; where it is common (MANY_CLEAR or more: each happening reported a few times, in tight pairs or
# small groups), those groups are the happenings, and two undated events merge only when their stories are
# about as alike across as within (``alike_across``); in between, the bar rises with the share. The share
# is taken around each story, NEAR_STEPS links out, and over the folder (see ``undated_bars``).
CLEAR_MARGIN = 1.3
FEW_CLEAR, MANY_CLEAR = 0.15, 0.4
NEAR_STEPS = 4
FEW_STORIES = 20


def inner_similarity(sums, sizes: np.ndarray) -> np.ndarray:
    """Mean cosine over the pairs of stories of each event (0 for an event of one story)."""
    squares = sp.csr_matrix((sums.data.astype(np.float64) ** 2, sums.indices, sums.indptr), shape=sums.shape)
    own = np.asarray(squares.sum(axis=1)).ravel().astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sizes > 1, (own - sizes) / (sizes * (sizes - 1.0)), 0.0)


class Strongest:
    """The weight of the strongest single link between two events, and each event's strongest link to any
    dated event: what an undated story matches best is one report, not the sum of its weak links to a
    running story's many (see ``clear_joins``)."""

    def __init__(self, a, b, w, labels: np.ndarray, dated: np.ndarray):
        x, y = labels[a], labels[b]
        n = len(dated)
        codes = np.minimum(x, y) * n + np.maximum(x, y)
        order = np.argsort(codes, kind="stable")  # one sort by pair, then each pair's strongest: half a lexsort
        codes = codes[order]
        first = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, np.int64)
        weights = np.maximum.reduceat(w[order], first) if len(codes) else np.zeros(0)
        self.codes, self.weights, self.n, self.dated = codes[first], weights, n, dated
        self.to_dated = np.zeros(n)
        self.best_dated = np.full(n, -1)
        for one, other in ((x, y), (y, x)):
            cross = dated[other] & (one != other)
            np.maximum.at(self.to_dated, one[cross], w[cross])
        for one, other in ((x, y), (y, x)):  # which dated event that strongest link goes to
            cross = dated[other] & (one != other)
            top = cross & (w >= self.to_dated[one]) & (w > 0)
            self.best_dated[one[top]] = other[top]

    def of(self, x, y) -> np.ndarray:
        pair = np.minimum(x, y) * self.n + np.maximum(x, y)
        at = np.minimum(np.searchsorted(self.codes, pair), max(len(self.codes) - 1, 0))
        found = (self.codes[at] == pair) if len(self.codes) else np.zeros(len(pair), bool)
        return np.where(found, self.weights[at] if len(self.codes) else 0.0, 0.0)


def best_undated(x, y, strongest: Strongest, margin: float) -> np.ndarray:
    """Which candidate pairs (x, y) may merge in the second round, as far as this rule goes: not two undated
    events whose strongest links go to two different dated events, each stronger than their link to each
    other. A story without a date joins the event it matches best: an undated review of the marijuana
    crackdown whose best match is the crackdown's dated report joins that report, not another undated story
    of the same attorney general months later that it shares his name and title with (merged, the two
    would match neither happening well enough to join it)."""
    weight = strongest.of(x, y)
    bx, by = strongest.best_dated[x], strongest.best_dated[y]
    torn = ~strongest.dated[x] & ~strongest.dated[y] & (bx >= 0) & (by >= 0) & (bx != by)
    return ~(torn & (strongest.to_dated[x] > margin * weight) & (strongest.to_dated[y] > margin * weight))


def clear_joins(x, y, summed, strongest: Strongest, mean_pair, dated: np.ndarray, inner: np.ndarray,
                settings) -> np.ndarray:
    """Which candidate pairs of events (x, y) may merge in the second round: pairs of two undated events
    always; an undated event with a dated one only at its best dated candidate, by a clear margin over the
    next (at least ``undated_margin`` times), and when its stories are about as alike to that event's as
    to each other. The margin holds either for its link weight to all of that event's stories (``summed``:
    five reports that read like it) or for its strongest link to one of them (one report it matches well,
    where a running story's event of many episodes gathers more weight from weak matches)."""
    mixed = dated[x] != dated[y]
    ok = ~dated[x] | ~dated[y]
    if not mixed.any():
        return ok
    idx = np.flatnonzero(mixed)
    u = np.where(dated[x[idx]], y[idx], x[idx])
    d = np.where(dated[x[idx]], x[idx], y[idx])
    clear = _clear_best(u, summed[idx], settings.undated_margin) | _clear_best(u, strongest.of(x[idx], y[idx]),
                                                                                 settings.undated_margin)
    # the undated event's own cohesion is the bar: two undated reports of one happening are more alike to
    # each other than to an episode of the same running story, and stay their own event; a lone story has
    # no cohesion of its own (0), so the dated event's stands in, and two undated reports that share only
    # a rare name with a one-story dated brief do not join it either
    own_u, own_d = inner[u], inner[d]
    cohesion = np.where(own_u > 0, own_u, own_d)
    ok[idx] = clear & (mean_pair[idx] >= settings.undated_cohesion * cohesion)
    return ok


def _clear_best(u: np.ndarray, weight: np.ndarray, margin: float) -> np.ndarray:
    """Per candidate (an undated event ``u`` and a dated one): whether it is ``u``'s best by ``weight``, at
    least ``margin`` times its next."""
    order = np.lexsort((-weight, u))
    su, sw = u[order], weight[order]
    first = np.r_[True, su[1:] != su[:-1]]
    runner_up = np.zeros(len(su))
    has_next = first & np.r_[su[1:] == su[:-1], False]  # the best of an event with a second candidate
    runner_up[has_next] = sw[np.flatnonzero(has_next) + 1]
    out = np.zeros(len(u), bool)
    out[order] = first & (sw >= margin * runner_up)
    return out


def one_dated_each(joiners, proposed, dated: np.ndarray) -> np.ndarray:
    """Which joiners keep their proposed group to one dated event: a dated joiner may not join a group that
    holds another."""
    count = np.bincount(proposed[dated], minlength=len(proposed))
    return ~(dated[joiners] & (count[proposed[joiners]] > 1))


def clear_best(a: np.ndarray, b: np.ndarray, v: np.ndarray, undated: np.ndarray, settings) -> np.ndarray:
    """Per story: whether it is undated and its best match among the undated is clear (see CLEAR_MARGIN),
    from the links (a, b) of similarity ``v`` (those of at least ``link_similarity``)."""
    n = len(undated)
    src, dst, cos = _undated_links(a, b, v, undated, settings)
    if not len(src):
        return np.zeros(n, bool)
    order = np.lexsort((-cos, src))
    src, dst, cos = src[order], dst[order], cos[order]
    first = np.r_[True, src[1:] != src[:-1]]
    second = np.r_[False, first[:-1]] & ~first
    best, top, runner_up = np.full(n, -1), np.zeros(n), np.zeros(n)
    best[src[first]], top[src[first]] = dst[first], cos[first]
    runner_up[src[second]] = cos[second]
    clear = (best >= 0) & (top >= CLEAR_MARGIN * runner_up)
    partner = np.maximum(best, 0)
    return clear & clear[partner] & (best[partner] == np.arange(n))


def _undated_links(a: np.ndarray, b: np.ndarray, v: np.ndarray, undated: np.ndarray, settings
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The links between two undated stories (of at least ``link_similarity``), both ways: (from, to, cosine)."""
    both = undated[a] & undated[b] & (v >= settings.link_similarity)
    return np.r_[a[both], b[both]], np.r_[b[both], a[both]], np.r_[v[both], v[both]]


def folder_clear(a: np.ndarray, b: np.ndarray, v: np.ndarray, undated: np.ndarray, settings) -> float:
    """The share of the folder's undated stories whose best match is clear (see ``clear_best``), counted as
    a share of at least FEW_STORIES stories: two near-copies among three undated stories are no sign of how
    the folder's happenings are reported. The local scan takes it from its links, the cluster scan from the
    links its client gathers (the same)."""
    return float(clear_best(a, b, v, undated, settings).sum()) / max(int(undated.sum()), FEW_STORIES)


def undated_bars(a: np.ndarray, b: np.ndarray, v: np.ndarray, undated: np.ndarray, settings,
                 folder: float) -> np.ndarray:
    """Per story: how alike across (a share of their cohesion) two undated events must be to merge where
    it stands (see ``alike_across``). It rises with the share of clear best matches (see CLEAR_MARGIN) around
    the story (its undated neighbours, theirs, out to NEAR_STEPS links) and in the whole folder (``folder``,
    see ``folder_clear``), whichever is lower: in a folder that mixes both kinds, a topic told many times
    keeps merging by link share, and a folder of few clear pairs is not judged by a pocket of them (the
    share around a story alone split ecbplus's events where a few of their reports came in tight pairs).
    0 for dated stories."""
    clear = clear_best(a, b, v, undated, settings)
    src, dst, _ = _undated_links(a, b, v, undated, settings)
    n = len(undated)
    near = clear.astype(np.float64)
    size = np.bincount(src, minlength=n) + 1.0  # the story and its undated neighbours
    for _ in range(NEAR_STEPS):
        near = (np.bincount(src, weights=near[dst], minlength=n) + near) / size
    ramp = np.clip((np.minimum(near, folder) - FEW_CLEAR) / (MANY_CLEAR - FEW_CLEAR), 0.0, 1.0)
    return np.where(undated, settings.undated_cohesion * ramp, 0.0)


def event_bars(bars: np.ndarray, labels: np.ndarray, n_events: int) -> np.ndarray:
    """Per event: the summed ``undated_bars`` of its stories."""
    return np.bincount(labels, weights=bars, minlength=n_events)


def alike_across(x, y, mean_pair, inner: np.ndarray, dated: np.ndarray, bar: np.ndarray) -> np.ndarray:
    """Which candidate pairs (x, y) may merge as far as this rule goes: a dated event with anything, and two
    undated events when the mean cosine across their stories reaches ``bar`` (per pair: the mean of the two
    events' stories' ``undated_bars``) times the cohesion (mean cosine within) of the more cohesive of the
    two: average linkage, measured against the events themselves. Two undated reports of a gun bill's
    filibuster are more alike to each other than either pair is to the two reports of a background-check
    vote, though all four share the topic's words."""
    both = ~dated[x] & ~dated[y]
    return ~both | (mean_pair >= bar * np.maximum(inner[x], inner[y]))


def joiner_alike(cross, pairs, rest_square, rest_size, own: np.ndarray, bar: np.ndarray) -> np.ndarray:
    """``alike_across`` for events joining a group: ``cross`` the dot product of each one's summed vector
    with the rest of its group's (``pairs`` pairs of stories across), ``rest_square`` the squared norm of the
    rest's sum (``rest_size`` stories), ``own`` each one's cohesion."""
    with np.errstate(invalid="ignore", divide="ignore"):
        rest = np.where(rest_size > 1, (rest_square - rest_size) / (rest_size * (rest_size - 1.0)), 0.0)
    return cross / np.maximum(pairs, 1) >= bar * np.maximum(own, rest)
