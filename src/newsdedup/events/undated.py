"""Stories without a date join the dated events after those are formed, each to one event at most.

Merging runs twice (see ``merge.merge_events``). First dated stories merge with dated ones only: their dates
keep apart the episodes of a running story (a shutdown's first and third day, told in the same words). Then
undated stories merge with each other and join the dated events, under three rules:

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


def inner_similarity(sums, sizes: np.ndarray) -> np.ndarray:
    """Mean cosine over the pairs of stories of each event (0 for an event of one story)."""
    own = np.asarray(sums.multiply(sums).sum(axis=1)).ravel().astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sizes > 1, (own - sizes) / (sizes * (sizes - 1.0)), 0.0)


def clear_joins(x, y, weight, mean_pair, dated: np.ndarray, inner: np.ndarray, settings) -> np.ndarray:
    """Which candidate pairs of events (x, y) may merge in the second round: pairs of two undated events
    always; an undated event with a dated one only at its best dated candidate, by a clear margin over the
    next (its link weight to it at least ``undated_margin`` times its weight to the next), and when its
    stories are about as alike to that event's as to each other."""
    mixed = dated[x] != dated[y]
    ok = ~dated[x] | ~dated[y]
    if not mixed.any():
        return ok
    idx = np.flatnonzero(mixed)
    u = np.where(dated[x[idx]], y[idx], x[idx])
    order = np.lexsort((-weight[idx], u))
    idx, u = idx[order], u[order]
    d = np.where(dated[x[idx]], x[idx], y[idx])
    first = np.r_[True, u[1:] != u[:-1]]
    runner_up = np.zeros(len(idx))
    has_next = first & np.r_[u[1:] == u[:-1], False]  # the best of an event with a second candidate
    runner_up[has_next] = weight[idx][np.flatnonzero(has_next) + 1]
    # the undated event's own cohesion is the bar: two undated reports of one happening are more alike to
    # each other than to an episode of the same running story, and stay their own event; a lone story has
    # no cohesion of its own (0), so the dated event's stands in, and two undated reports that share only
    # a rare name with a one-story dated brief do not join it either
    own_u, own_d = inner[u], inner[d]
    cohesion = np.where(own_u > 0, own_u, own_d)
    clear = (first & (weight[idx] >= settings.undated_margin * runner_up)
             & (mean_pair[idx] >= settings.undated_cohesion * cohesion))
    ok[idx] = clear
    return ok


def one_dated_each(joiners, proposed, dated: np.ndarray) -> np.ndarray:
    """Which joiners keep their proposed group to one dated event: a dated joiner may not join a group that
    holds another."""
    count = np.bincount(proposed[dated], minlength=len(proposed))
    return ~(dated[joiners] & (count[proposed[joiners]] > 1))
