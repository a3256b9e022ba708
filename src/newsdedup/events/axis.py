"""Events on a date axis, for the app's timeline and the HTML report's: which days are in view, where they
fall, readable ticks and buckets, mark sizes and short labels. Qt-free, so both pictures agree.

Days are counted as ``date.toordinal()`` floats so zooming and panning are plain arithmetic. Tick and
bucket steps come from one ladder of calendar units (days, weeks, months, years, decades), so a mark at
"1 March" always sits on the "Mar" tick whatever the zoom.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from newsdedup.model import Event


def radius(stories: int) -> float:
    return 5.0 + 3.0 * math.sqrt(max(stories, 1) - 1)


def short_label(event: Event) -> str:
    """The event's first two label terms: the axis already says when."""
    return " · ".join(event.label.split(" · ")[:2])


LAST_DAY = dt.date(9000, 1, 1).toordinal()  # room for a century step past the last date
MIN_SPAN_DAYS = 3.0  # zoomed in further than this, one day would fill the widget

# (name, months per step or 0, days per step when months is 0)
STEPS = (("day", 0, 1), ("2 days", 0, 2), ("week", 0, 7), ("month", 1, 0), ("quarter", 3, 0),
         ("half year", 6, 0), ("year", 12, 0), ("2 years", 24, 0), ("5 years", 60, 0), ("decade", 120, 0),
         ("20 years", 240, 0), ("50 years", 600, 0), ("century", 1200, 0))


@dataclass(frozen=True)
class DayRange:
    """The days in view: ``first`` to ``last`` as ordinal floats (``last`` > ``first``)."""

    first: float
    last: float

    def __post_init__(self) -> None:  # plain floats, whatever numpy handed in
        object.__setattr__(self, "first", float(self.first))
        object.__setattr__(self, "last", float(self.last))

    @property
    def span(self) -> float:
        return self.last - self.first

    def x_of(self, day: float, left: float, width: float) -> float:
        return left + (day - self.first) * width / self.span

    def day_at(self, x: float, left: float, width: float) -> float:
        return self.first + (x - left) * self.span / width

    def zoomed(self, factor: float, around: float, limit: DayRange | None = None) -> DayRange:
        """``factor`` < 1 zooms in; the day ``around`` stays where it is on screen."""
        span = max(MIN_SPAN_DAYS, self.span * factor)
        if limit is not None:
            span = min(span, limit.span)
        share = (around - self.first) / self.span
        first = around - share * span
        return DayRange(first, first + span).inside(limit)

    def panned(self, days: float, limit: DayRange | None = None) -> DayRange:
        return DayRange(self.first + days, self.last + days).inside(limit)

    def inside(self, limit: DayRange | None) -> DayRange:
        """Shifted (not shrunk) so it does not run past ``limit``: panning stops at the data's ends."""
        if limit is None or self.span >= limit.span:
            return self if limit is None else limit
        shift = max(0.0, limit.first - self.first) - max(0.0, self.last - limit.last)
        return DayRange(self.first + shift, self.last + shift)


def padded(first: float, last: float, share: float = 0.04, least: float = 2.0) -> DayRange:
    pad = max(least, (last - first) * share)
    return DayRange(first - pad, last + 1 + pad)


def dense_range(days: np.ndarray, weights: np.ndarray, tail: float = 0.02) -> DayRange | None:
    """The range that holds the stories, without the few far-off dates that would squeeze them; None
    when nothing is far off.

    The whole span is kept unless it is over three times as long as the range between the 2nd and
    98th percentile of story dates (a 1920 date quoted in a 2024 story must not shrink 2024 to a dot).
    """
    order = np.argsort(days, kind="stable")
    days, weights = days[order], weights[order].astype(float)
    cumulative = np.cumsum(weights) / weights.sum()
    low = float(days[int(np.searchsorted(cumulative, tail))])
    high = float(days[min(len(days) - 1, int(np.searchsorted(cumulative, 1 - tail)))])
    whole = (float(days[0]), float(days[-1]))
    if whole[1] - whole[0] <= 3 * (high - low) + 30:
        return None
    return padded(low, high)


def _months(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(months: int) -> dt.date:
    return dt.date(months // 12, months % 12 + 1, 1)


def step_starts(view: DayRange, step: tuple[str, int, int]) -> list[dt.date]:
    """The calendar boundaries of ``step`` units from just before the view to just after it."""
    _name, months, days = step
    first = dt.date.fromordinal(int(min(max(1.0, view.first), LAST_DAY)))
    last = dt.date.fromordinal(int(min(max(1.0, view.last + 1), LAST_DAY)))
    if months == 0:
        start = first.toordinal() - (first.toordinal() % days if days != 7 else first.weekday())
        return [dt.date.fromordinal(d) for d in range(start, last.toordinal() + days + 1, days)]
    m = _months(first) - _months(first) % months
    out: list[dt.date] = []
    while True:
        out.append(_month_start(m))
        if out[-1] > last:
            return out
        m += months


def choose_step(view: DayRange, width: float, least_px: float) -> tuple[str, int, int]:
    """The finest calendar step whose units are at least ``least_px`` wide on screen."""
    for step in STEPS:
        _name, months, days = step
        if (days or months * 30.44) * width / view.span >= least_px:
            return step
    return STEPS[-1]


def tick_text(day: dt.date, step: tuple[str, int, int], first: bool) -> str:
    """Day steps name the day (the year on the first tick and at New Year), month steps the month."""
    _name, months, _days = step
    if months >= 12:
        return str(day.year)
    if months:
        return f"{day:%b %Y}" if first or day.month == 1 else f"{day:%b}"
    return f"{day.day} {day:%b %Y}" if first or (day.month, day.day) == (1, 1) else f"{day.day} {day:%b}"


def ticks(view: DayRange, left: float, width: float, label_px: float) -> list[tuple[float, str]]:
    """(x, text) for the ticks in view, spaced so that labels of ``label_px`` do not touch."""
    step = choose_step(view, width, label_px)
    out: list[tuple[float, str]] = []
    for day in step_starts(view, step):
        x = view.x_of(day.toordinal(), left, width)
        if left <= x <= left + width:
            out.append((x, tick_text(day, step, not out)))
    return out


def bucket_edges(view: DayRange, width: float, least_px: float) -> tuple[str, np.ndarray]:
    """Calendar buckets (day, week, month, ...) at least ``least_px`` wide covering the view, as the
    step's name and its edges in ordinal days."""
    step = choose_step(view, width, least_px)
    return step[0], np.array([d.toordinal() for d in step_starts(view, step)], dtype=float)
