"""The events on a date axis: one mark per event, sized by its number of stories; undated events apart.

A mark spans the event's date range (a dot for a single day). Clicking a mark selects the event in the
tree; selecting an event or a story in the tree outlines its mark here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from newsdedup.events.axis import radius, short_label, ticks
from newsdedup.model import Event

MARK = QColor("#3b7dd8")
SELECTED = QColor("#e8590c")
UNDATED_WIDTH = 150  # pixels kept on the right for undated events


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
        self._plan: _Plan | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(800, 140)

    def set_events(self, events: list[Event] | tuple[Event, ...]) -> None:
        self.events = list(events)
        self.selected = None
        self._plan = None
        self.update()

    def select(self, event_id: int | None) -> None:
        self.selected = event_id
        self.update()

    def mark_rect(self, event_id: int) -> QRectF | None:
        """Where the event's mark is drawn, for tests and accessibility."""
        self._layout()
        return next((r for r, eid in self._marks if eid == event_id), None)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._layout()
        for rect, eid in self._marks:
            if rect.adjusted(-3, -3, 3, 3).contains(event.position()):
                self.select(eid)
                self.eventClicked.emit(eid)
                return
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._plan = None
        super().resizeEvent(event)

    # -- layout, once per result and size (a selection only repaints) -------------------------------
    def _layout(self) -> _Plan:
        if self._plan is None:
            fm = QFontMetrics(self.font())
            plan = _Plan()
            dated = [e for e in self.events if e.start is not None]
            undated = [e for e in self.events if e.start is None]
            right = self.width() - (UNDATED_WIDTH if undated else 0)
            plan.axis_y = self.height() - 28
            top = 8 + fm.height()
            if dated:
                self._layout_dated(plan, dated, QRectF(16, top, right - 32, plan.axis_y - top), fm)
            if undated:
                plan.undated = QRectF(right, top, UNDATED_WIDTH - 8, plan.axis_y - top)
                self._layout_undated(plan, undated, plan.undated, fm)
            self._plan = plan
            self._marks = [(rect, e.event_id) for e, rect, *_label in plan.marks]
        return self._plan

    def _layout_dated(self, plan: _Plan, events: list[Event], area: QRectF, fm: QFontMetrics) -> None:
        first = min(e.start for e in events)
        last = max(e.end or e.start for e in events)
        pad = max(3, (last - first).days // 12)
        first, last = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
        days = max(1, (last - first).days)

        def x_of(d: dt.date) -> float:
            return area.left() + area.width() * (d - first).days / days

        plan.axis = (area.left(), area.right())
        for d, text in ticks(first, last):
            x = x_of(d)
            half = fm.horizontalAdvance(text) / 2
            plan.ticks.append((x, text if area.left() <= x - half and x + half <= area.right() else "", half))
        lanes: list[float] = []  # right edge of the last label in each lane
        biggest = max(radius(len(e.story_ids)) for e in events)
        for e in sorted(events, key=lambda e: e.start):
            x0, x1 = x_of(e.start), x_of(e.end or e.start)
            r = radius(len(e.story_ids))
            label = f"{short_label(e)} ({len(e.story_ids)})"
            width = fm.horizontalAdvance(label)
            left = max(2.0, min(x0 - width / 2, self.width() - width - 2))
            lane = next((i for i, edge in enumerate(lanes) if edge < left), len(lanes))
            lanes[lane:lane + 1] = [left + width + 8]
            cy = plan.axis_y - 8 - r  # marks sit on the axis; labels stand above the biggest, in lanes
            baseline = max(area.top() + fm.ascent(), plan.axis_y - 12 - 2 * biggest - lane * (fm.height() + 1))
            plan.marks.append((e, QRectF(x0 - r, cy - r, x1 - x0 + 2 * r, 2 * r), label, left, baseline))

    def _layout_undated(self, plan: _Plan, events: list[Event], area: QRectF, fm: QFontMetrics) -> None:
        x = area.left() + 16
        for i, e in enumerate(events):
            r = radius(len(e.story_ids))
            cy = area.bottom() - 14 - r - (i % 3) * (fm.height() + 2 * r)
            label = fm.elidedText(f"{short_label(e)} ({len(e.story_ids)})", Qt.TextElideMode.ElideRight,
                                  int(max(20, area.right() - x)))
            plan.marks.append((e, QRectF(x, cy - r, 2 * r, 2 * r), label, x, cy - r - 4))
            x += 2 * r + 6

    # -- painting -----------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        muted = self.palette().placeholderText().color()
        painter.setPen(muted)
        if not self.events:
            self._marks = []
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "The events will appear here on a timeline.")
            return
        fm = QFontMetrics(painter.font())
        painter.drawText(QPointF(8, 4 + fm.ascent()), "Events over time · a mark's size is its number of stories "
                         "· click one to select it")
        plan = self._layout()
        ink = self.palette().text().color()
        if plan.axis is not None:
            painter.setPen(QPen(ink, 1))
            painter.drawLine(QPointF(plan.axis[0], plan.axis_y), QPointF(plan.axis[1], plan.axis_y))
            for x, text, half in plan.ticks:
                painter.drawLine(QPointF(x, plan.axis_y), QPointF(x, plan.axis_y + 4))
                if text:
                    painter.drawText(QPointF(x - half, plan.axis_y + 6 + fm.ascent()), text)
        if plan.undated is not None:
            area = plan.undated
            painter.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(area.left(), area.top()), QPointF(area.left(), area.bottom() + 20))
            painter.setPen(ink)
            painter.drawText(QPointF(area.left() + 8, area.bottom() + 6 + fm.ascent()), "undated")
        for e, rect, label, text_x, baseline in plan.marks:
            self._paint_mark(painter, e, rect, label, QPointF(text_x, baseline))

    def _paint_mark(self, painter: QPainter, e: Event, rect: QRectF, label: str, at: QPointF) -> None:
        selected = e.event_id == self.selected
        colour = SELECTED if selected else MARK
        fill = QColor(colour)
        fill.setAlpha(200 if selected else 150)
        painter.setBrush(fill)
        painter.setPen(QPen(colour.darker(130), 2.5 if selected else 1))
        r = rect.height() / 2
        painter.drawRoundedRect(rect, r, r)
        painter.setPen(self.palette().text().color())
        painter.drawText(at, label)


class _Plan:
    """Where everything goes on the timeline for one result and one widget size."""

    def __init__(self) -> None:
        self.axis_y = 0.0
        self.axis: tuple[float, float] | None = None  # left and right ends of the date axis
        self.ticks: list[tuple[float, str, float]] = []  # x, text ("" when it does not fit), half its width
        self.undated: QRectF | None = None
        self.marks: list[tuple[Event, QRectF, str, float, float]] = []  # event, mark, label, its x and baseline
