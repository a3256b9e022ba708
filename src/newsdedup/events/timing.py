"""When stories were published, as evidence that they report one happening: trusted by where the date came from.

Reports of one happening are published within days of each other; two episodes of a running story (a
shutdown's days, a bill's steps, a campaign's weeks) lie days to weeks apart and are told in the same words.
So the similarity of two stories fades with the days between them, rather than holding whole up to one fixed
window and vanishing after it: two stories a week apart must be told in much closer words than two of one
day to count as one happening.

How fast it fades depends on how far the dates can be trusted. A date field of the record or page
(``metadata``) is the day the outlet published: a day's slack (time zones, the print edition) and the
similarity halves every ``precise_half_life`` days beyond it. A date read from the text (``explicit``,
``inferred``) may be the day of a stamp, an update or a dateline written the day before; it is looser: a
few days' slack, then it halves every ``loose_half_life`` days. The event window (``window_days``) still
bounds every event's dated stories, whatever the words.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from newsdedup.model import DateProvenance

PRECISE_SLACK_DAYS = 1.0  # a metadata date: the same news published across midnight or time zones
LOOSE_SLACK_DAYS = 3.0  # a date from the text: a stamp of an update, a dateline of the day before


class GroupTimes(NamedTuple):
    """Per duplicate group: its first and last day (ordinal; NaN when undated), and whether its dates are
    precise (every dated member's date from metadata)."""

    lo: np.ndarray
    hi: np.ndarray
    precise: np.ndarray


def group_times(stories, groups, index: dict[str, int]) -> GroupTimes:
    """First and last publication day of each duplicate group, and whether they come from metadata."""
    n = len(groups)
    lo, hi = np.full(n, np.nan), np.full(n, np.nan)
    precise = np.zeros(n, bool)
    for gi, g in enumerate(groups):
        dated = [stories[index[m]] for m in g.members if stories[index[m]].published]
        if dated:
            days = [s.published.toordinal() for s in dated]
            lo[gi], hi[gi] = min(days), max(days)
            precise[gi] = all(s.date_provenance == DateProvenance.METADATA for s in dated)
    return GroupTimes(lo, hi, precise)


def decay(times: GroupTimes | None, i: np.ndarray, j: np.ndarray, settings) -> np.ndarray:
    """The factor (0..1] by which the similarity of groups ``i`` and ``j`` (arrays of the same shape) fades
    with the days between them; 1 where either is undated."""
    if times is None:
        return np.ones(np.shape(i))
    gap = np.fmax(np.fmax(times.lo[j] - times.hi[i], times.lo[i] - times.hi[j]), 0.0)
    precise = times.precise[i] & times.precise[j]
    slack = np.where(precise, PRECISE_SLACK_DAYS, LOOSE_SLACK_DAYS)
    half = np.where(precise, settings.precise_half_life, settings.loose_half_life)
    with np.errstate(invalid="ignore"):
        factor = 0.5 ** (np.maximum(gap - slack, 0.0) / half)
    return np.where(np.isnan(gap), 1.0, factor)
