"""Events on a date axis, for the app's timeline and the HTML report's: readable ticks, mark sizes, labels.

Qt-free, so both pictures place dates and size marks the same way.
"""

from __future__ import annotations

import datetime as dt
import math

from newsdedup.model import Event


def radius(stories: int) -> float:
    return 5.0 + 3.0 * math.sqrt(max(stories, 1) - 1)


def short_label(event: Event) -> str:
    """The event's first two label terms: the axis already says when."""
    return " · ".join(event.label.split(" · ")[:2])


def ticks(first: dt.date, last: dt.date, max_ticks: int = 10) -> list[tuple[dt.date, str]]:
    """Readable tick dates between two dates: days, months or years, at most about ``max_ticks``."""
    span = (last - first).days
    if span <= 40:
        step = max(1, span // max_ticks + 1)
        days = [first + dt.timedelta(days=d) for d in range(0, span + 1, step)]
        return [(d, f"{d.day} {d:%b}") for d in days]
    if span <= 3 * 365:
        months = (last.year - first.year) * 12 + last.month - first.month
        step = max(1, months // max_ticks + 1)
        out: list[tuple[dt.date, str]] = []
        y, m = first.year, first.month + 1
        if m > 12:
            y, m = y + 1, 1
        while dt.date(y, m, 1) <= last:
            if (m - 1) % step == 0:
                d = dt.date(y, m, 1)
                out.append((d, f"{d:%b %Y}" if m == 1 or not out else f"{d:%b}"))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    step = max(1, (last.year - first.year) // max_ticks + 1)
    return [(dt.date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1) if y % step == 0]
