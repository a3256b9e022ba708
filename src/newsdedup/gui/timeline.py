"""The events on a date axis: one mark per event, sized by its number of stories; undated events apart.

A mark spans the event's date range (a dot for a single day). Clicking a mark selects the event in the
tree; selecting an event or a story in the tree outlines its mark here.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..model import Event

MARK = QColor("#3b7dd8")
SELECTED = QColor("#e8590c")
UNDATED_WIDTH = 150  # pixels kept on the right for undated events


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
        out, y, m = [], first.year, first.month + 1
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


class Timeline(QWidget):
    eventClicked = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName("Timeline of events")
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.events: list[Event] = []
        self.selected: int | None = None
        self._marks: list[tuple[QRectF, int]] = []  # hit areas, event id

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(800, 140)

    def set_events(self, events: list[Event] | tuple[Event, ...]) -> None:
        self.events = list(events)
        self.selected = None
        self.update()

    def select(self, event_id: int | None) -> None:
        self.selected = event_id
        self.update()

    def mark_rect(self, event_id: int) -> QRectF | None:
        """Where the event's mark is drawn (after the last paint), for tests and accessibility."""
        return next((r for r, eid in self._marks if eid == event_id), None)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        for rect, eid in self._marks:
            if rect.adjusted(-3, -3, 3, 3).contains(event.position()):
                self.select(eid)
                self.eventClicked.emit(eid)
                return
        super().mousePressEvent(event)

    # -- painting -----------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        self._marks = []
        if not self.events:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "The events will appear here on a timeline.")
            return
        painter.setPen(self.palette().placeholderText().color())
        fm = QFontMetrics(painter.font())
        painter.drawText(QPointF(8, 4 + fm.ascent()), "Events over time · a mark's size is its number of stories "
                         "· click one to select it")
        dated = [e for e in self.events if e.start is not None]
        undated = [e for e in self.events if e.start is None]
        right = self.width() - (UNDATED_WIDTH if undated else 0)
        axis_y = self.height() - 28
        if dated:
            self._paint_dated(painter, dated, QRectF(16, 8 + fm.height(), right - 32, axis_y - 8 - fm.height()),
                              axis_y)
        if undated:
            self._paint_undated(painter, undated, QRectF(right, 8 + fm.height(), UNDATED_WIDTH - 8,
                                                         axis_y - 8 - fm.height()))

    def _paint_dated(self, painter: QPainter, events: list[Event], area: QRectF, axis_y: float) -> None:
        first = min(e.start for e in events)
        last = max(e.end or e.start for e in events)
        pad = max(3, (last - first).days // 12)
        first, last = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
        days = max(1, (last - first).days)

        def x_of(d: dt.date) -> float:
            return area.left() + area.width() * (d - first).days / days

        painter.setPen(QPen(self.palette().text().color(), 1))
        painter.drawLine(QPointF(area.left(), axis_y), QPointF(area.right(), axis_y))
        fm = QFontMetrics(painter.font())
        for d, text in ticks(first, last):
            x = x_of(d)
            painter.drawLine(QPointF(x, axis_y), QPointF(x, axis_y + 4))
            half = fm.horizontalAdvance(text) / 2
            if area.left() <= x - half and x + half <= area.right():
                painter.drawText(QPointF(x - half, axis_y + 6 + fm.ascent()), text)
        lanes: list[float] = []  # right edge of the last label in each lane
        for e in sorted(events, key=lambda e: e.start):
            x0, x1 = x_of(e.start), x_of(e.end or e.start)
            r = radius(len(e.story_ids))
            label = f"{short_label(e)} ({len(e.story_ids)})"
            width = fm.horizontalAdvance(label)
            left = max(2.0, min(x0 - width / 2, self.width() - width - 2))  # where _paint_mark puts it
            lane = next((i for i, edge in enumerate(lanes) if edge < left), len(lanes))
            lanes[lane:lane + 1] = [left + width + 8]
            cy = max(area.top() + fm.height() + r, axis_y - 14 - r - lane * (fm.height() + 2))
            self._paint_mark(painter, e, QRectF(x0 - r, cy - r, x1 - x0 + 2 * r, 2 * r), label, fm)

    def _paint_undated(self, painter: QPainter, events: list[Event], area: QRectF) -> None:
        pen = QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(area.left(), area.top()), QPointF(area.left(), area.bottom() + 20))
        painter.setPen(self.palette().text().color())
        fm = QFontMetrics(painter.font())
        painter.drawText(QPointF(area.left() + 8, area.bottom() + 6 + fm.ascent()), "undated")
        x = area.left() + 16
        for i, e in enumerate(events):
            r = radius(len(e.story_ids))
            cy = area.bottom() - 14 - r - (i % 3) * (fm.height() + 2 * r)
            label = f"{short_label(e)} ({len(e.story_ids)})"
            self._paint_mark(painter, e, QRectF(x, cy - r, 2 * r, 2 * r), label, fm, clip=area.right())
            x += 2 * r + 6

    def _paint_mark(self, painter: QPainter, e: Event, rect: QRectF, label: str, fm: QFontMetrics,
                    clip: float | None = None) -> None:
        selected = e.event_id == self.selected
        colour = SELECTED if selected else MARK
        fill = QColor(colour)
        fill.setAlpha(200 if selected else 150)
        painter.setBrush(fill)
        painter.setPen(QPen(colour.darker(130), 2.5 if selected else 1))
        r = rect.height() / 2
        painter.drawRoundedRect(rect, r, r)
        painter.setPen(self.palette().text().color())
        if clip is not None:
            label = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(max(20, clip - rect.left())))
        text_x = rect.center().x() - fm.horizontalAdvance(label) / 2
        text_x = max(2.0, min(text_x, self.width() - fm.horizontalAdvance(label) - 2))
        if clip is not None:
            text_x = rect.left()
        painter.drawText(QPointF(text_x, rect.top() - 4), label)
        self._marks.append((rect, e.event_id))
