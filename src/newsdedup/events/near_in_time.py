"""The nearest neighbours of dated stories, looked for among the stories near them in time only.

The similarity of two dated stories fades with the days between them (``timing``), and a cosine is at most
1: so once a story has k neighbours whose faded similarity is at least v, no story further away than the
days at which 1 fades to v (``reach``) can take their place. Each block of stories (in the order of their
days) is compared, exactly and with every word, with the stories within a window of days around it and
with every undated story (an undated one does not fade); if a story's k-th best is weaker than the window
can promise, the window widens to what that k-th best needs, once. The search is then exact, save that a
similarity faded below ``MIN_FADE`` is not looked for: in an archive of years a story meets the stories of
its weeks, not all of them, and the search grows about linearly with the years.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from newsdedup.events.timing import LOOSE_SLACK_DAYS, PRECISE_SLACK_DAYS

MIN_FADE = 0.01  # a link of this faded similarity would weigh 0.01 ** link_power: nothing
CANDIDATES_PER_NEIGHBOUR = 4  # candidates whose whole fade is computed, per neighbour looked for
FIRST_FADE = 0.2  # the first window: the days at which a cosine of 1 fades to this
LONG_DAYS = 30  # a story spanning more days (copies over months) is looked for by every dated one


class Days(NamedTuple):
    """What the search needs of the stories' dates: each row's first and last day (NaN: undated); the most
    days apart two stories may lie for their similarity to fade to no less than a value (``reach``), and
    the most a similarity of 1 keeps over a gap of days (``bound``)."""

    lo: np.ndarray
    hi: np.ndarray
    reach: Callable[[float], float]
    bound: Callable[[np.ndarray], np.ndarray]


def fading(lo: np.ndarray, hi: np.ndarray, settings, loose: bool) -> Days:
    """``Days`` for the fading of ``timing.decay`` (the looser of its two rates when any date is
    ``loose``, read from the text)."""
    kinds = [(PRECISE_SLACK_DAYS, settings.precise_half_life)]
    if loose:
        kinds.append((LOOSE_SLACK_DAYS, settings.loose_half_life))

    def bound(gap):
        return np.max([0.5 ** (np.maximum(gap - slack, 0.0) / half) for slack, half in kinds], axis=0)

    return Days(lo, hi, lambda v: max(slack + half * math.log2(1.0 / v) for slack, half in kinds), bound)


class Plan(NamedTuple):
    """The dated rows searched by time (in the order of their first day) and the rows every one of them is
    compared with (undated ones, and dated ones spanning more than ``LONG_DAYS``)."""

    by_day: np.ndarray
    first_days: np.ndarray
    always: np.ndarray


def plan(days: Days, searched: np.ndarray) -> tuple[Plan, np.ndarray, np.ndarray]:
    """The plan; the ``searched`` rows it searches, in the order of their days (so a block holds near
    days); and those it does not (undated or long: for the dense search)."""
    timed = ~np.isnan(days.lo) & (days.hi - days.lo <= LONG_DAYS)
    every = np.flatnonzero(timed)
    by_day = every[np.argsort(days.lo[every], kind="stable")]
    chosen = np.zeros(len(timed), bool)
    chosen[searched] = True
    return Plan(by_day, days.lo[by_day], np.flatnonzero(~timed)), by_day[chosen[by_day]], searched[~timed[searched]]


def near_block(matrix, idx: np.ndarray, k: int, fade, among, days: Days, plan: Plan):
    """Rows ``idx`` (dated, near in days): each one's k most similar other rows by faded cosine, and with
    ``among`` the same among those rows alone, as [(rows, others, similarities), ...] (as
    ``neighbours._block_neighbours`` returns them)."""
    block = matrix[idx]
    first, last = float(days.lo[idx].min()), float(days.hi[idx].max())
    width = days.reach(FIRST_FADE)
    while True:
        cols = _window(days, plan, first - width, last + width)
        found, weakest = _best_of(block, matrix, idx, cols, k, fade, among, days)
        need = days.reach(max(weakest, MIN_FADE))
        everything = len(cols) == len(plan.by_day) + len(plan.always)
        if need <= width or everything:
            return found
        width = need


def _window(days: Days, plan: Plan, start: float, end: float) -> np.ndarray:
    """The rows dated within [start, end] (a row's span overlapping it), and those always compared."""
    s = np.searchsorted(plan.first_days, start - LONG_DAYS, side="left")
    e = np.searchsorted(plan.first_days, end, side="right")
    near = plan.by_day[s:e]
    return np.r_[near[days.hi[near] >= start], plan.always]


def _best_of(block, matrix, idx, cols, k: int, fade, among, days: Days):
    """The k best of ``cols`` for each row of the block, as [all, among ``among``], and the weakest k-th
    best over the block's rows (0 where a row has fewer than k).

    The cosines are exact, with every word. A row's ``CANDIDATES_PER_NEIGHBOUR`` x k best by the most its
    days let each cosine keep (``days.bound``) have their costlier fade computed (the days and what
    ``subjects`` tells apart): the best of those are the best, unless ``subjects`` sets most of them apart."""
    cos = (block @ matrix[cols].T).toarray()
    gap = np.fmax(np.fmax(days.lo[cols][None, :] - days.hi[idx][:, None],
                          days.lo[idx][:, None] - days.hi[cols][None, :]), 0.0)
    upper = cos * np.where(np.isnan(gap), 1.0, days.bound(np.nan_to_num(gap)))
    upper[idx[:, None] == cols[None, :]] = -1.0
    every, kth = _faded_best(idx, cols, cos, upper, k, fade)
    if among is None:
        return [every, every], float(kth.min())
    dated, kth_dated = _faded_best(idx, cols, cos, np.where(among[cols][None, :], upper, -1.0), k, fade)
    return [every, dated], float(min(kth.min(), kth_dated.min()))


def _faded_best(idx, cols, cos, upper, k: int, fade):
    """Each row's k best by faded cosine among its c best by ``upper`` (its bound; negative: not a
    candidate), as (rows, others, similarities), and each row's k-th best (0: fewer than k)."""
    c = min(CANDIDATES_PER_NEIGHBOUR * k, upper.shape[1])
    cand = np.argpartition(-upper, c - 1, axis=1)[:, :c]
    value = np.take_along_axis(cos, cand, axis=1)
    if fade is not None:
        value = value * fade(np.repeat(idx, c).reshape(len(idx), c), cols[cand])
    value = np.where(np.take_along_axis(upper, cand, axis=1) > 0, value, -1.0)
    kk = min(k, c)
    pick = np.argpartition(-value, kk - 1, axis=1)[:, :kk]
    val = np.take_along_axis(value, pick, axis=1)
    keep = val > 0
    kth = np.where(keep.sum(axis=1) >= k, np.where(keep, val, np.inf).min(axis=1), 0.0)
    top = cols[np.take_along_axis(cand, pick, axis=1)]
    return (np.repeat(idx, kk)[keep.ravel()], top[keep], val[keep].astype(np.float32)), kth
