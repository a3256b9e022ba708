"""Publication dates from the text of a story, with where each came from.

Nothing is invented. A full date written in the story ("Dec. 3, 2024", "2024-12-03 22:15",
"3 December 2024") is ``explicit``. A day and month with a weekday and no year ("December 2 ... today,
Tuesday") is ``inferred``: the year whose calendar puts that day on that weekday, nearest the other dates
of the corpus. A story with neither stays undated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from dateutil import parser as date_parser

_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FULL_DATE = re.compile(
    r"\b(?:(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
    rf"|(?P<mdy>{_MONTHS}\s+[0-3]?\d(?:st|nd|rd|th)?(?:,|\s+-)?\s+(?:19|20)\d\d)"
    rf"|(?P<dmy>[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTHS},?\s+(?:19|20)\d\d))\b",
    re.IGNORECASE,  # datelines shout: "WEDNESDAY, APRIL 24TH, 2013", "FEB. 2, 2009"
)
_DAY_MONTH = re.compile(
    rf"\b(?:(?P<md>{_MONTHS}\s+[0-3]?\d)(?:st|nd|rd|th)?|(?P<dm>[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTHS}))\b"
    r"(?![,\s-]*(?:19|20)\d\d)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
HEAD_CHARS = 400  # a date near the top (a header, a dateline) says more than one deep in the story
# A weekday pins a day-month to one year in every five to eleven: the year is inferred only when the
# corpus's own dates lie closer together than that (80% of them within this many days), else it stays open.
MAX_ANCHOR_SPREAD_DAYS = 3 * 365


@dataclass(frozen=True)
class PartialDate:
    """A day and month seen with a weekday and no year: enough to infer the year from the calendar."""

    month: int
    day: int
    weekday: int  # Monday is 0


def _parse(s: str) -> dt.date | None:
    try:
        return date_parser.parse(s, default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def explicit_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The story's date from full dates in its text: one in the head wins, else the most frequent."""
    today = today or dt.date.today()
    found: list[tuple[int, dt.date]] = []
    for m in _FULL_DATE.finditer(text):
        d = _parse(m.group())
        if d is not None and dt.date(1900, 1, 1) < d <= today + dt.timedelta(days=1):
            found.append((m.start(), d))
    if not found:
        return None
    head = [d for pos, d in found if pos < HEAD_CHARS]
    if head:
        return head[0]
    counts = Counter(d for _, d in found)
    best = max(counts.values())
    return max(d for d, c in counts.items() if c == best)  # ties: the latest, as captions trail events


def partial_date(text: str) -> PartialDate | None:
    """A day-month without a year that the story ties to a weekday ("December 2 ... Tuesday")."""
    head = text[:HEAD_CHARS * 2]
    m = _DAY_MONTH.search(head)
    w = _WEEKDAY.search(head)
    if not m or not w:
        return None
    d = _parse(m.group() + " 2000")
    if d is None:
        return None
    return PartialDate(d.month, d.day, _WEEKDAYS.index(w.group(1).lower()))


def infer_year(partial: PartialDate, anchors: list[dt.date], today: dt.date | None = None) -> dt.date | None:
    """The date whose year puts ``partial`` on its weekday, nearest the anchor dates (or today)."""
    today = today or dt.date.today()
    ordered = sorted(anchors)
    if ordered:
        cut = (len(ordered) - 1) // 10
        lo, hi = ordered[cut], ordered[len(ordered) - 1 - cut]
        if (hi - lo).days > MAX_ANCHOR_SPREAD_DAYS:
            return None  # dates over many years: the weekday cannot tell which of them
    centre = ordered[len(ordered) // 2] if ordered else today
    best: dt.date | None = None
    for year in range(centre.year - 12, centre.year + 13):
        try:
            d = dt.date(year, partial.month, partial.day)
        except ValueError:
            continue
        if d.weekday() != partial.weekday or d > today + dt.timedelta(days=1):
            continue
        if best is None or abs((d - centre).days) < abs((best - centre).days):
            best = d
    return best
