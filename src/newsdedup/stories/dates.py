"""Publication dates from the text of a story, with where each came from.

Nothing is invented. A record's or page's own date field always wins (``metadata``, set at reading). Else a
full date ("Dec. 3, 2024", "2024-12-03 22:15", "3 December 2024", "FEB. 2, 2009") near the top of the story
(a header, a "Posted" stamp, the dateline and lede) is ``explicit``; failing that, one in the story's page
furniture (a photo caption, an "Updated" stamp), which dates the page. A date deeper in the story text is
about something else (the trial two years ago, the attacks of 2001) and never dates the story. A day and
month without a year, tied to a weekday ("Brussels, December 2 (...) - ... today, Tuesday", "on Tuesday
(6 January)"), is ``inferred``: the year whose calendar puts that day on that weekday, nearest the dates
the story itself mentions, else the other dates of the corpus. A story with none of these stays undated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from dateutil import parser as date_parser

_MONTHS = r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
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
HEAD_CHARS = 400  # characters of story text (furniture not counted) where a date is the story's own
_WEEKDAY_BEFORE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")[ \t,(]{1,3}$", re.IGNORECASE)
_WEEKDAY_AFTER = re.compile(r"[ \t,()]{1,3}(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_TODAY_WEEKDAY = re.compile(r"\btoday\W{1,3}(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
# A weekday pins a day-month to one year in every five to eleven: from the corpus's dates the year is
# inferred only when they lie closer together than that (80% of them within this many days).
MAX_ANCHOR_SPREAD_DAYS = 3 * 365


@dataclass(frozen=True)
class PartialDate:
    """A day and month seen with a weekday and no year: enough to infer the year from the calendar."""

    month: int
    day: int
    weekday: int  # Monday is 0
    # the story's own evidence of when it was written (the full dates and bare years it mentions): the
    # year is sought near these rather than near the corpus, which may span decades
    near: tuple[dt.date, ...] = ()


def _parse(s: str) -> dt.date | None:
    try:
        return date_parser.parse(s, default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _head_end(text: str, furniture: list[tuple[int, int]], chars: int) -> int:
    """Where the first ``chars`` characters of story text end, page furniture not counted."""
    pos = counted = 0
    for start, end in sorted(furniture):
        if start > pos:
            if counted + start - pos >= chars:
                return pos + chars - counted
            counted += start - pos
        pos = max(pos, end)
    return min(len(text), pos + chars - counted)


def explicit_date(text: str, today: dt.date | None = None,
                  furniture: list[tuple[int, int]] | tuple = ()) -> dt.date | None:
    """The story's date: the first full date in its head, else the most frequent in its page furniture
    (``furniture``: boilerplate spans relative to ``text``); dates deeper in the story are not its own."""
    today = today or dt.date.today()
    head_end = _head_end(text, list(furniture), HEAD_CHARS)
    in_head: list[dt.date] = []
    in_furniture: list[dt.date] = []
    for m in _FULL_DATE.finditer(text):
        d = _parse(m.group())
        if d is None or not dt.date(1900, 1, 1) < d <= today + dt.timedelta(days=1):
            continue
        if m.start() < head_end:
            in_head.append(d)
        elif any(s <= m.start() < e for s, e in furniture):
            in_furniture.append(d)
    if in_head:
        return in_head[0]
    if not in_furniture:
        return None
    counts = Counter(in_furniture)
    best = max(counts.values())
    return max(d for d, c in counts.items() if c == best)  # ties: the latest, as captions trail events


def partial_date(text: str, dateline: str = "", furniture: list[tuple[int, int]] | tuple = ()
                 ) -> PartialDate | None:
    """A day-month without a year tied to a weekday in the story's head: written next to it ("Tuesday,
    Dec. 2", "Tuesday (6 January)"), or the dateline's day with "today, Tuesday" in the head. A day-month
    and a weekday that merely both occur ("the Nov. 30 escape ... announced Tuesday") are not enough."""
    head = text[:_head_end(text, list(furniture), HEAD_CHARS * 2)]
    for m in _DAY_MONTH.finditer(head):
        tied = _WEEKDAY_BEFORE.search(head[max(0, m.start() - 16):m.start()]) or _WEEKDAY_AFTER.match(head, m.end())
        if tied:
            return _partial(m.group(), tied.group(1), text, head)
    dm = _DAY_MONTH.search(dateline) if dateline else None
    today = _TODAY_WEEKDAY.search(head)
    if dm and today:
        return _partial(dm.group(), today.group(1), text, head)
    return None


def _partial(day_month: str, weekday: str, text: str, head: str) -> PartialDate | None:
    d = _parse(day_month + " 2000")
    if d is None:
        return None
    near = [x for x in (_parse(m.group()) for m in _FULL_DATE.finditer(text)) if x is not None]
    if not near:  # "Sunday, November 27 - 2005": a bare year in the head
        near = [dt.date(int(y), 7, 1) for y in _YEAR.findall(head)]
    return PartialDate(d.month, d.day, _WEEKDAYS.index(weekday.lower()), tuple(near))


def infer_year(partial: PartialDate, anchors: list[dt.date], today: dt.date | None = None) -> dt.date | None:
    """The date whose year puts ``partial`` on its weekday, nearest the story's own dates, else the anchor
    dates (the corpus), else today."""
    today = today or dt.date.today()
    if partial.near:  # the story's own dates
        ordered = sorted(partial.near)
    else:
        ordered = sorted(anchors)
        if ordered:
            cut = (len(ordered) - 1) // 10
            lo, hi = ordered[cut], ordered[len(ordered) - 1 - cut]
            if (hi - lo).days > MAX_ANCHOR_SPREAD_DAYS:
                return None  # the corpus's dates span many years: the weekday cannot tell which of them
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
