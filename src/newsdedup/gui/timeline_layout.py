"""Where the timeline draws everything, for one result, one widget size and one view of the dates.

``TimelineData`` is computed once per result (events in date order, as arrays); ``plan`` turns it into
rectangles for one frame. Everything ``plan`` does is bounded by the widget's pixels (the events in
view, at most one mark per few pixels, a few dozen labels), never by the number of stories, so a drag
over a result of thousands of events stays smooth. When more events are in view than marks can be told
apart, the view turns into a histogram of stories per calendar bucket.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from newsdedup.events.axis import (  # the same axis and words as the HTML report's timeline
    DayRange,
    bucket_edges,
    dense_range,
    padded,
    short_label,
    ticks,
)
from newsdedup.model import Event

MAX_RADIUS = 18.0
MARK_SPACING_PX = 9.0  # fewer pixels per event in view than this, and marks become a histogram
LABELS_TRIED = 80  # the biggest events in view compete for label room; the rest show on hover


def label_text(event: Event) -> str:
    return f"{short_label(event)} ({len(event.story_ids):,})"


class TimelineData:
    """The events of one result, once: dated ones as arrays in date order, undated ones biggest first."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.dated = sorted((e for e in events if e.start is not None), key=lambda e: (e.start, e.event_id))
        self.undated = sorted((e for e in events if e.start is None), key=lambda e: (-len(e.story_ids), e.event_id))
        self.by_id = {e.event_id: e for e in events}
        self.index_of = {e.event_id: i for i, e in enumerate(self.dated)}
        days = [(e.start, e.end or e.start) for e in self.dated if e.start is not None]
        self.starts: np.ndarray = np.array([start.toordinal() for start, _end in days], dtype=np.float64)
        self.ends: np.ndarray = np.array([end.toordinal() + 1 for _start, end in days], dtype=np.float64)  # exclusive
        self.sizes = np.array([len(e.story_ids) for e in self.dated], dtype=np.int64)
        self.cum_sizes = np.concatenate([[0], np.cumsum(self.sizes)])
        self.biggest = max((len(e.story_ids) for e in events), default=1)
        self.undated_stories = sum(len(e.story_ids) for e in self.undated)
        undated_sizes = np.array([len(e.story_ids) for e in self.undated], dtype=np.float64)
        self._undated_shares = (np.sqrt((undated_sizes - 1) / (self.biggest - 1)) if self.biggest > 1
                                else np.zeros(len(self.undated)))
        self.longest = float((self.ends - self.starts).max()) if self.dated else 1.0
        self.whole = padded(self.starts.min(), self.ends.max() - 1) if self.dated else None
        self.dense = (dense_range(self.starts, self.sizes) or self.whole) if self.dated else None
        if self.whole is not None:  # how far one may zoom out: the whole span, and at least a month
            middle, half = (self.whole.first + self.whole.last) / 2, max(self.whole.span * 0.55, 15.0)
            self.limit = DayRange(middle - half, middle + half)

    def in_view(self, view: DayRange) -> tuple[int, int, np.ndarray]:
        """First and end index of the events that may touch the view, and which of them do."""
        lo = int(np.searchsorted(self.starts, view.first - self.longest))
        hi = int(np.searchsorted(self.starts, view.last))
        return lo, hi, self.ends[lo:hi] > view.first

    def outside(self, view: DayRange) -> tuple[tuple[int, int], tuple[int, int]]:
        """(events, stories) wholly before the view and wholly after it."""
        lo, hi, touching = self.in_view(view)
        before = lo + int((~touching).sum())
        before_stories = int(self.cum_sizes[lo] + self.sizes[lo:hi][~touching].sum())
        return (before, before_stories), (len(self.dated) - hi, int(self.cum_sizes[-1] - self.cum_sizes[hi]))

    def undated_diameters(self, r_max: float) -> np.ndarray:
        """The diameters of the undated events' marks, biggest first (``radius`` for each, at once)."""
        r_min = min(max(3.0, r_max * 0.3), r_max)
        return 2 * (r_min + (r_max - r_min) * self._undated_shares)

    def radius(self, stories: int, r_max: float) -> float:
        r_min = min(max(3.0, r_max * 0.3), r_max)  # one story: small, but a mark one can point at
        share = math.sqrt((stories - 1) / (self.biggest - 1)) if self.biggest > 1 else 0.0
        return r_min + (r_max - r_min) * share


@dataclass
class Mark:
    event_id: int
    rect: QRectF


@dataclass
class Bar:
    rect: QRectF
    first: float  # ordinal days of the bucket, end exclusive
    last: float
    stories: int
    events: int


@dataclass
class Label:
    event_id: int
    rect: QRectF
    text: str
    leader: QLineF | None


@dataclass
class Edge:
    """Events beyond one end of the view, counted in the margin at that end."""

    rect: QRectF
    side: str  # "before" or "after"
    events: int
    stories: int


@dataclass
class Plan:
    axis_y: float = 0.0
    plot: QRectF | None = None  # the dated part: marks' band between the margins
    undated: QRectF | None = None  # the undated bucket, full height
    caption: str = ""
    ticks: list[tuple[float, str]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)  # drawn in order: biggest first
    bars: list[Bar] = field(default_factory=list)
    bucket: str = ""  # the histogram's bucket ("week", "month", ...), "" when marks are drawn
    labels: list[Label] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    more: tuple[QRectF, int] | None = None  # undated events without room for a mark
    highlight_x: float | None = None  # the selected event in a histogram
    undated_counts: tuple[int, int] = (0, 0)  # undated events, their stories


@dataclass
class _Room:
    """Where labels may go: lanes (rectangles of one text line) and what is taken in each."""

    lanes: list[QRectF]
    taken: list[list[QRectF]] = field(default_factory=list)

    def place(self, x: float, width: float, low: float, high: float, lanes: range) -> QRectF | None:
        width = min(width, high - low)
        left = min(max(x - width / 2, low), high - width)
        for i in lanes:
            lane = self.lanes[i]
            rect = QRectF(left, lane.top(), width, lane.height())
            if not any(rect.adjusted(-4, 0, 4, 0).intersects(t) for t in self.taken[i]):
                self.taken[i].append(rect)
                return rect
        return None


def plan(data: TimelineData, view: DayRange | None, width: float, height: float, fm: QFontMetricsF,
         selected: int | None) -> Plan:
    out = Plan()
    line = fm.height()
    top = line + 10  # the caption line and the buttons
    out.axis_y = height - line - 10
    band_h = max(14.0, min(2 * MAX_RADIUS + 8, (out.axis_y - 4 - top) * 0.45))
    band = QRectF(0, out.axis_y - 4 - band_h, width, band_h)
    lane_h = line + 1
    lanes = [QRectF(0, band.top() - 2 - (i + 1) * lane_h, width, lane_h)
             for i in range(int(max(0.0, band.top() - 2 - top) // lane_h))]
    room = _Room(lanes, [[] for _ in lanes])
    r_max = max(3.0, min(MAX_RADIUS, band_h / 2 - 1))
    candidates: list[tuple[int, int, float, float, float, float, range]] = []  # see _labels
    x_left, x_right = 6.0, width - 6.0
    if data.undated:
        share = data.undated_stories / max(1, data.undated_stories + int(data.cum_sizes[-1]))
        undated_w = x_right - x_left if not data.dated else min(max(width * share, 170.0), width * 0.5)
        out.undated = QRectF(x_right - undated_w, top, undated_w, out.axis_y - top)
        out.undated_counts = (len(data.undated), data.undated_stories)
        x_right -= undated_w + 8
        _undated(out, data, out.undated, band, r_max, lanes, candidates, selected)
    if data.dated and view is not None and x_right - x_left > 80:
        gutter = fm.horizontalAdvance("◂ 9,999") + 8
        out.plot = QRectF(x_left + gutter, band.top(), x_right - x_left - 2 * gutter, band.height())
        _dated(out, out.plot, data, view, fm, r_max, candidates, len(lanes), selected)
        out.edges = _edges(data, view, out.plot, gutter)
    out.labels = _labels(data, candidates, room, fm, selected)
    return out


def _dated(out: Plan, plot: QRectF, data: TimelineData, view: DayRange, fm: QFontMetricsF, r_max: float,
           candidates: list, n_lanes: int, selected: int | None) -> None:
    out.ticks = ticks(view, plot.left(), plot.width(), fm.horizontalAdvance("30 Sep 2026") + 12)
    lo, hi, touching = data.in_view(view)
    shown = lo + np.flatnonzero(touching)
    lanes = range(n_lanes)
    centres = ((data.starts[shown] + data.ends[shown]) / 2 - view.first) * plot.width() / view.span + plot.left()
    if len(shown) * MARK_SPACING_PX <= plot.width():
        out.caption = "Events over time · a mark's size is its number of stories · scroll to zoom, drag to pan"
        for i, cx in sorted(zip(shown.tolist(), centres.tolist()), key=lambda p: -data.sizes[p[0]]):
            r = data.radius(int(data.sizes[i]), r_max)
            x0 = view.x_of(data.starts[i], plot.left(), plot.width())
            x1 = view.x_of(data.ends[i], plot.left(), plot.width())
            left = max(plot.left() - r_max, min(x0, cx - r))
            right = min(plot.right() + r_max, max(x1, cx + r))
            rect = QRectF(left, plot.center().y() - r, max(right - left, 2 * r), 2 * r)
            out.marks.append(Mark(data.dated[i].event_id, rect))
            candidates.append((data.dated[i].event_id, int(data.sizes[i]), cx, rect.top(), plot.left(),
                               plot.right(), lanes))
        return
    name, edges = bucket_edges(view, plot.width(), 5.0)
    out.bucket = name
    out.caption = (f"Stories per {name} · {len(shown):,} events in view, too many to mark one by one: "
                   "scroll to zoom in, hover a bar for its events")
    cut = np.searchsorted(data.starts, edges)
    stories, events = np.diff(data.cum_sizes[cut]), np.diff(cut)
    tallest = max(1, int(stories.max())) if len(stories) else 1
    bar_tops = {}
    for k in np.flatnonzero(stories).tolist():
        x0 = max(plot.left(), view.x_of(edges[k], plot.left(), plot.width()))
        x1 = min(plot.right(), view.x_of(edges[k + 1], plot.left(), plot.width()))
        if x1 - x0 < 0.5:
            continue
        h = max(2.0, plot.height() * stories[k] / tallest)
        rect = QRectF(x0, plot.bottom() - h, max(1.0, x1 - x0 - 1), h)
        out.bars.append(Bar(rect, float(edges[k]), float(edges[k + 1]), int(stories[k]), int(events[k])))
        bar_tops[k] = rect.top()
    biggest = shown[np.argsort(-data.sizes[shown], kind="stable")[:LABELS_TRIED]].tolist()
    chosen = data.index_of.get(selected) if selected is not None else None
    if chosen is not None and chosen in set(shown.tolist()):
        out.highlight_x = min(max(view.x_of(data.starts[chosen] + 0.5, plot.left(), plot.width()), plot.left()),
                              plot.right())
        biggest = [chosen] + [i for i in biggest if i != chosen]
    for i in biggest:
        k = int(np.searchsorted(edges, data.starts[i], side="right")) - 1
        x = min(max(view.x_of(data.starts[i] + 0.5, plot.left(), plot.width()), plot.left()), plot.right())
        candidates.append((data.dated[i].event_id, int(data.sizes[i]), x, bar_tops.get(k, plot.bottom()),
                           plot.left(), plot.right(), lanes))


def _undated(out: Plan, data: TimelineData, area: QRectF, band: QRectF, r_max: float, lanes: list[QRectF],
             candidates: list, selected: int | None) -> None:
    """Undated events as one bucket apart: marks in rows, biggest first, as big as the room allows down
    to a size that still tells them apart; the smallest that find no room are counted under it."""
    title_lanes = min(len(lanes), 2)  # labels of the biggest undated events use the top lanes, marks the rest
    top = lanes[len(lanes) - title_lanes].bottom() + 3 if title_lanes else area.top() + 4
    grid = QRectF(area.left() + 6, top, area.width() - 12, band.bottom() - top)
    cap = r_max
    while True:
        placed = _rows(data, grid, cap)
        if len(placed) == len(data.undated) or cap <= 7:  # smaller, and sizes no longer tell apart
            break
        cap -= 1
    rects = [QRectF(*xywh) for xywh in placed]
    n_lanes, first_lane = len(lanes), len(lanes) - title_lanes
    for k, (e, rect) in enumerate(zip(data.undated, rects)):
        out.marks.append(Mark(e.event_id, rect))
        if k < LABELS_TRIED // 4 or e.event_id == selected:
            candidates.append((e.event_id, len(e.story_ids), rect.center().x(), rect.top(), area.left() + 2,
                               area.right() - 2, range(n_lanes - 1, first_lane - 1, -1)))
    if len(placed) < len(data.undated):
        caption_h = lanes[0].height() + 6 if lanes else 20.0  # the "Undated · ..." line under the bucket
        out.more = (QRectF(area.left(), out.axis_y, area.width(), caption_h),
                    len(data.undated) - len(placed))


def _rows(data: TimelineData, grid: QRectF, cap: float) -> list[tuple[float, float, float, float]]:
    """Marks of the undated events in rows left to right, until the grid is full (bounded by its area):
    (x, y, width, height) in plain floats, as several sizes are tried (a QRectF each cost milliseconds)."""
    gap, out = 3.0, []
    left, right, bottom = grid.left(), grid.right(), grid.bottom()
    x, y, row = left, grid.top(), 0.0
    for d in data.undated_diameters(cap).tolist():
        if x + d > right:
            x, y, row = left, y + row + gap, 0.0
        if y + d > bottom:
            break
        row = row or d  # the first mark of a row is its biggest: the others sit on its middle
        out.append((x, y + (row - d) / 2, d, d))
        x += d + gap
    return out


def _edges(data: TimelineData, view: DayRange, plot: QRectF, gutter: float) -> list[Edge]:
    (before, before_stories), (after, after_stories) = data.outside(view)
    out = []
    if before:
        out.append(Edge(QRectF(plot.left() - gutter, plot.top(), gutter - 4, plot.height()), "before", before,
                        before_stories))
    if after:
        out.append(Edge(QRectF(plot.right() + 4, plot.top(), gutter - 4, plot.height()), "after", after,
                        after_stories))
    return out


def _labels(data: TimelineData, candidates: list, room: _Room, fm: QFontMetricsF,
            selected: int | None) -> list[Label]:
    """Labels for the biggest events (the selected one first), each where it overlaps no other."""
    out = []
    for event_id, _size, x, mark_top, low, high, lanes in sorted(
            candidates, key=lambda c: (c[0] != selected, -c[1])):
        text = label_text(data.by_id[event_id])
        width = fm.horizontalAdvance(text) + 2
        rect = room.place(x, width, low, high, lanes)
        if rect is None:
            continue
        if rect.width() < width:
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 2)
        anchor = min(max(x, rect.left() + 2), rect.right() - 2)
        leader = QLineF(anchor, rect.bottom(), x, mark_top) if mark_top - rect.bottom() > 3 else None
        out.append(Label(event_id, rect, text, leader))
    return out
