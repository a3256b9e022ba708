"""Publication dates from the text of a story, with where each came from.

Nothing is invented, and a wrong date is worse than none. A record's or page's own date field always wins
(``metadata``, set at reading). Else a full date ("Dec. 3, 2024", "2024-12-03 22:15", "3 December 2024",
"FEB. 2, 2009") near the top of the story is ``explicit`` only where a page puts its own date: after a
"Published"/"Updated"/"Posted" stamp, on a line of its own (with a time, a weekday, a byline), in a
dateline ("BRUSSELS, Dec. 3, 2024 (AP) —") or in a photo caption ending with its credit (see ``_placed``).
A date inside a sentence is about what the sentence tells ("born on 5 April 1920", "until 15 July 2006"),
wherever it stands. Failing that, a date in the story's page furniture (a caption, an "Updated" stamp)
dates the page. A date deeper in the story text never dates the story. A day and month without a year,
tied to a weekday ("Sunday, 27 February", "Brussels, December 2 (...) - ... today, Tuesday", "on Tuesday
(6 January)"), is ``inferred``: the year whose calendar puts that day on that weekday, nearest a year
written on the same line, else nearest the publication dates of the folder; never from a year the story
mentions ("their first Grand Slam since 1948"), and with neither, no date. A full date far from every
other date of the folder (more than a year, where the folder has three others) needs strong evidence, a
stamp: on a line of its own it is dropped (``far_from_folder``); so those dates are decided once the
folder's are known (``build.infer_years``). A story with none of these stays undated.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from dateutil import parser as date_parser

_MONTHS = r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# within one line: "Tuesday, 1 March" over "2000 GMT" on the next is a kick-off time, not a year
_FULL_DATE = re.compile(
    r"\b(?:(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
    rf"|(?P<mdy>{_MONTHS}[ \t]+[0-3]?\d(?:st|nd|rd|th)?(?:,|[ \t]+-)?[ \t]+(?:19|20)\d\d)"
    rf"|(?P<dmy>[0-3]?\d(?:st|nd|rd|th)?[ \t]+{_MONTHS},?[ \t]+(?:19|20)\d\d))\b"
    r"(?![ \t]*(?:GMT|BST|UTC|CET|hrs)\b)",
    re.IGNORECASE,  # datelines shout: "WEDNESDAY, APRIL 24TH, 2013", "FEB. 2, 2009"
)
# Where a date in the head is the story's own: after a stamp ("Published", "Updated"), on a line of its own
# (with a time, a weekday, a byline of a few words), or in a dateline ("BRUSSELS, Dec. 3, 2024 (AP) —").
# A date inside a sentence is about what the sentence tells ("born on 5 April 1920", "until 15 July 2006").
_STAMP = re.compile(r"\b(?:published|updated|posted|first\s+published|last\s+modified|modified|created|dated?|"
                    r"issued|filed)\b\W{0,3}(?:on\W+|at\W+)?[^\n]{0,30}$", re.IGNORECASE)
_LINE_NOISE = re.compile(
    r"\b(?:" + "|".join(_WEEKDAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|by|at|on|am|pm|a\.\s?m|"
    r"p\.\s?m|gmt|bst|utc|cet|cest|est|edt|cst|cdt|mst|mdt|pst|pdt|ist|aest|et|hrs|updated|published|posted|"
    r"last|first|st|nd|rd|th)\b|\d+", re.IGNORECASE)
# a photo caption, which dates the picture of the news: it ends with the photographer's credit
_PHOTO_CREDIT = re.compile(r"(?:/\s*(?:AP|AFP|Reuters|EPA|Getty Images|Bloomberg|Keystone)|\b(?:AP|AFP|Reuters) Photo\b"
                           r"[^\n]*|Getty Images|Photograph:[^\n]*|Photo:[^\n]*)\)?\W*$", re.IGNORECASE)
LINE_WORDS = 6  # words besides the date, times and stamps on a date line: a byline, an agency, a place
DATELINE_LEAD_WORDS = 4  # words before a dateline's date: "SAN DIEGO," "WASHINGTON"
_DAY_MONTH = re.compile(
    rf"\b(?:(?P<md>{_MONTHS}\s+[0-3]?\d)(?:st|nd|rd|th)?|(?P<dm>[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTHS}))\b"
    r"(?![, \t-]*(?:19|20)\d\d(?![ \t]*(?:GMT|BST|UTC|CET|hrs)\b))",
    re.IGNORECASE,
)
HEAD_CHARS = 400  # characters of story text (furniture not counted) where a date is the story's own
_WEEKDAY_BEFORE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")[ \t,(]{1,3}$", re.IGNORECASE)
_WEEKDAY_AFTER = re.compile(r"[ \t,()]{1,3}(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_WORDS = re.compile(r"[^\W\d_]{2,}")
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
    # set for a full date whose place is ordinary evidence (a line of its own, a dateline, a caption): it
    # is the story's date unless it lies far from every other date of the folder (see ``far_from_folder``)
    year: int | None = None

    @classmethod
    def pending(cls, date: dt.date) -> PartialDate:
        return cls(date.month, date.day, date.weekday(), (), date.year)


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
    return explicit_evidence(text, today, furniture)[0]


def explicit_evidence(text: str, today: dt.date | None = None, furniture: list[tuple[int, int]] | tuple = ()
                      ) -> tuple[dt.date | None, bool]:
    """``explicit_date``, and whether its evidence is strong: a "Published"/"Updated"/"Posted" stamp
    in the head. A date on a line of its own, in a dateline or a caption is ordinary evidence."""
    today = today or dt.date.today()
    head_end = _head_end(text, list(furniture), HEAD_CHARS)
    in_head: list[tuple[dt.date, bool]] = []
    in_furniture: list[dt.date] = []
    for m in _FULL_DATE.finditer(text):
        d = _parse(m.group())
        if d is None or not dt.date(1900, 1, 1) < d <= today + dt.timedelta(days=1):
            continue
        if m.start() < head_end:
            place = _placed(text, m.start(), m.end())
            if place:
                in_head.append((d, place == STAMPED))
        elif any(s <= m.start() < e for s, e in furniture):
            in_furniture.append(d)
    if in_head:
        return in_head[0]
    if not in_furniture:
        return None, False
    counts = Counter(in_furniture)
    best = max(counts.values())
    return max(d for d, c in counts.items() if c == best), False  # ties: the latest, as captions trail events


PLACED, STAMPED = 1, 2


def _placed(text: str, start: int, end: int) -> int:
    """Whether the date at ``start:end`` stands where a page puts its own date (see ``_STAMP``): 0 not,
    ``STAMPED`` after a stamp, ``PLACED`` elsewhere such a date stands."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if _STAMP.search(before):
        return STAMPED
    if _PHOTO_CREDIT.search(after):
        return PLACED
    rest = _WORDS.findall(_LINE_NOISE.sub(" ", before + " " + after))
    # a byline, a place, an agency are names; two plain words make a short sentence ("Company was formed
    # Dec 30, 1985."), which tells of something else
    plain = sum(1 for w in rest if w[0].islower())
    if len(rest) <= LINE_WORDS and plain < 2 and not re.search(r"[a-z]{2,}[.!?][\"”’']?\s*$", after):
        return PLACED
    dateline = (len(_WORDS.findall(before)) <= DATELINE_LEAD_WORDS and len(before) <= 50
                and re.match(r"[ \t,]*(?:\(|[—–:-]|--)", after) is not None)
    return PLACED if dateline else 0


def partial_date(text: str, dateline: str = "", furniture: list[tuple[int, int]] | tuple = ()
                 ) -> PartialDate | None:
    """A day-month without a year tied to a weekday in the story's head: written next to it ("Tuesday,
    Dec. 2", "Tuesday (6 January)"), or the dateline's day with "today, Tuesday" in the head. A day-month
    and a weekday that merely both occur ("the Nov. 30 escape ... announced Tuesday") are not enough."""
    head = text[:_head_end(text, list(furniture), HEAD_CHARS * 2)]
    for m in _DAY_MONTH.finditer(head):
        tied = _WEEKDAY_BEFORE.search(head[max(0, m.start() - 16):m.start()]) or _WEEKDAY_AFTER.match(head, m.end())
        if tied:
            return _partial(m.group(), tied.group(1), _line_at(head, m.start()))
    dm = _DAY_MONTH.search(dateline) if dateline else None
    today = _TODAY_WEEKDAY.search(head)
    if dm and today:
        return _partial(dm.group(), today.group(1), dateline)
    return None


def _partial(day_month: str, weekday: str, line: str) -> PartialDate | None:
    """The day-month with its weekday; ``line`` is where it stands: a year on that line, if it is no
    sentence ("Sunday, November 27 - 2005"), is the story's own evidence of its year. Years the story
    mentions elsewhere are about other things ("their first Grand Slam since 1948") and say nothing."""
    d = _parse(day_month + " 2000")
    if d is None:
        return None
    near: list[dt.date] = []
    if len(_WORDS.findall(_LINE_NOISE.sub(" ", line))) <= LINE_WORDS:
        near = [dt.date(int(y), 7, 1) for y in _YEAR.findall(line)]
    return PartialDate(d.month, d.day, _WEEKDAYS.index(weekday.lower()), tuple(near))


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1:len(text) if end < 0 else end]


# A date from the text that lies more than FAR_DAYS from every other date of a folder holding at least
# FAR_OTHERS others is kept only on strong evidence (a stamp): an archive page's own line "5 April 1920"
# in a folder of 2005 news is far likelier a date the story tells of than the day it was published.
FAR_DAYS = 365
FAR_OTHERS = 3


def far_from_folder(candidates: list[dt.date], others: list[dt.date]) -> list[bool]:
    """For each candidate date, whether it lies more than FAR_DAYS from every other date of the folder
    (``others`` plus the other candidates), where there are at least FAR_OTHERS of those."""
    every = sorted(d.toordinal() for d in [*others, *candidates])
    if len(every) - 1 < FAR_OTHERS:
        return [False] * len(candidates)
    out = []
    for c in candidates:
        day = c.toordinal()
        lo, hi = bisect.bisect_left(every, day), bisect.bisect_right(every, day)
        if hi - lo > 1:  # another story of the same day
            out.append(False)
            continue
        near = [abs(every[k] - day) for k in (lo - 1, hi) if 0 <= k < len(every)]
        out.append(min(near) > FAR_DAYS)
    return out


def infer_year(partial: PartialDate, anchors: list[dt.date], today: dt.date | None = None,
               anchors_sorted: bool = False) -> dt.date | None:
    """The date whose year puts ``partial`` on its weekday, nearest the story's own evidence of its year,
    else the publication dates of the folder (``anchors``, sorted already if ``anchors_sorted``: a folder's
    partial dates share them, and sorting them for each was quadratic); with neither, none: a wrong year is
    worse than no date."""
    today = today or dt.date.today()
    if partial.near:  # the story's own dates
        ordered = sorted(partial.near)
    else:
        ordered = anchors if anchors_sorted else sorted(anchors)
        if ordered:
            cut = (len(ordered) - 1) // 10
            lo, hi = ordered[cut], ordered[len(ordered) - 1 - cut]
            if (hi - lo).days > MAX_ANCHOR_SPREAD_DAYS:
                return None  # the corpus's dates span many years: the weekday cannot tell which of them
    if not ordered:
        return None
    centre = ordered[len(ordered) // 2]
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
