"""The report's timeline picture: where each event's mark and label go on a small SVG date axis.

The layout is worked out here in numbers; the template draws it as inline SVG (no script, no image file),
each mark a link to its event's section. Dated events sit on the axis, undated ones in a strip on the right,
as in the app's timeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newsdedup.events.axis import DayRange, radius, short_label, ticks
from newsdedup.model import Event

WIDTH, HEIGHT = 960, 150
UNDATED_WIDTH = 150
AXIS_Y = HEIGHT - 28
CHAR_WIDTH = 6.2  # of the 11px sans-serif the labels use, on average: enough to keep labels apart
MAX_LABELS = 14  # labels for the biggest events only; the rest say theirs on hover
MAX_R = 16.0


@dataclass(frozen=True)
class Mark:
    event_id: int
    x: float
    y: float  # top
    width: float
    height: float
    tip: str  # hover text
    label: str = ""
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass
class TimelinePicture:
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: float = AXIS_Y
    axis: tuple[float, float] | None = None
    ticks: list[tuple[float, str]] = field(default_factory=list)
    undated_x: float | None = None
    undated_note: str = ""  # said instead of marks when the undated events are too many to draw apart
    marks: list[Mark] = field(default_factory=list)


def _tip(event: Event, when: str) -> str:
    return f"{event.label} · {when} · {len(event.story_ids)} stories"


def timeline_picture(events: list[Event], when: dict[int, str]) -> TimelinePicture:
    """The picture of ``events``; ``when`` gives each event's dates in words, for the hover text."""
    pic = TimelinePicture()
    dated = [(e.start, e.end or e.start, e) for e in events if e.start is not None]
    undated = [e for e in events if e.start is None]
    right = WIDTH - (UNDATED_WIDTH if undated else 0)
    labelled = {e.event_id for e in sorted(events, key=lambda e: -len(e.story_ids))[:MAX_LABELS]}
    if dated:
        _dated(pic, dated, 16.0, right - 16.0, when, labelled)
    if undated:
        pic.undated_x = float(right)
        _undated(pic, undated, right + 12.0, when)
    return pic


def _r(event: Event) -> float:
    return min(MAX_R, radius(len(event.story_ids)))


def _dated(pic: TimelinePicture, events: list[tuple[dt.date, dt.date, Event]], left: float, right: float,
           when: dict[int, str], labelled: set[int]) -> None:
    """Marks for ``events``, each given with its first and last day."""
    first = min(start for start, _end, _e in events)
    last = max(end for _start, end, _e in events)
    pad = max(3, (last - first).days // 12)
    first, last = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
    days = max(1, (last - first).days)

    def x_of(d: dt.date) -> float:
        return left + (right - left) * (d - first).days / days

    pic.axis = (left, right)
    view = DayRange(first.toordinal(), last.toordinal())
    for x, text in ticks(view, left, right - left, label_px=10 * CHAR_WIDTH):  # the app's ticks
        half = len(text) * CHAR_WIDTH / 2
        pic.ticks.append((round(x, 1), text if left <= x - half and x + half <= right else ""))
    lanes: list[float] = []  # right edge of the last label in each lane
    for start, end, e in sorted(events, key=lambda item: item[0]):
        x0, x1, r = x_of(start), x_of(end), _r(e)
        label, lx, ly = "", 0.0, 0.0
        if e.event_id in labelled:
            label = f"{short_label(e)} ({len(e.story_ids)})"
            width = len(label) * CHAR_WIDTH
            lx = max(2.0, min(x0 - width / 2, WIDTH - width - 2))
            lane = next((i for i, edge in enumerate(lanes) if edge < lx), len(lanes))
            lanes[lane:lane + 1] = [lx + width + 8]
            ly = max(12.0, AXIS_Y - 14 - 2 * MAX_R - lane * 13)
        pic.marks.append(Mark(e.event_id, round(x0 - r, 1), round(AXIS_Y - 6 - 2 * r, 1),
                              round(x1 - x0 + 2 * r, 1), round(2 * r, 1), _tip(e, when[e.event_id]),
                              label, round(lx, 1), round(ly, 1)))


def _undated(pic: TimelinePicture, events: list[Event], left: float, when: dict[int, str]) -> None:
    """Up to three rows of marks; more undated events than that are counted in words (they are listed below)."""
    marks, x, row = [], left, 0
    for e in events:
        r = _r(e)
        if x + 2 * r > WIDTH - 4:
            x, row = left, row + 1
        if row == 3:
            pic.undated_note = f"{len(events):,} undated events"
            return
        top = AXIS_Y - 6 - 2 * r - row * 2 * (MAX_R + 2)
        marks.append(Mark(e.event_id, round(x, 1), round(top, 1), round(2 * r, 1), round(2 * r, 1),
                          _tip(e, when[e.event_id])))
        x += 2 * r + 6
    pic.marks += marks
