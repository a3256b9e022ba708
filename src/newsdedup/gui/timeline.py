"""The events on a date axis: one mark per event, sized by its number of stories; undated events apart.

Scroll to zoom (around the pointer), drag to pan, *Fit* to come back to the dates that hold the
stories, *All dates* to include far-off ones (counted in the margins while out of view). When more
events are in view than marks can be told apart, the dates show as a histogram of stories per day,
week, month or year. Labels are given to the biggest events that have room; every mark and bar says
what it is on hover. Clicking a mark (or a bar: its biggest event) selects the event in the tree;
selecting an event or a story in the tree highlights its mark here and brings it into view.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolButton, QToolTip, QWidget

from newsdedup.events.axis import DayRange
from newsdedup.gui.timeline_layout import Bar, Plan, TimelineData, label_text, plan
from newsdedup.gui.timeline_paint import paint_plan
from newsdedup.model import Event

MARK = QColor("#3b7dd8")
SELECTED = QColor("#e8590c")
DRAG_PX = 4  # a press that moves less than this is a click


def _day(ordinal: float) -> str:
    return f"{dt.date.fromordinal(int(ordinal)):%-d %b %Y}"


class Timeline(QWidget):
    eventClicked = Signal(int)  # noqa: N815 - Qt signal naming
    viewChanged = Signal()  # noqa: N815 - the visible dates moved (zoom, pan, fit)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName("Timeline of events")
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.events: list[Event] = []
        self.selected: int | None = None
        self.data = TimelineData([])
        self.view: DayRange | None = None
        self._plan: Plan | None = None
        self._hover: int | None = None
        self._press: tuple[QPointF, DayRange | None] | None = None
        self._dragging = False
        self.fit_action = QAction("Fit", self)
        self.fit_action.setObjectName("actionTimelineFit")
        self.fit_action.setToolTip("Show the dates that hold the stories (Home)")
        self.fit_action.triggered.connect(self.fit)
        self.all_action = QAction("All dates", self)
        self.all_action.setObjectName("actionTimelineAll")
        self.all_action.setToolTip("Show every dated event, however far apart")
        self.all_action.triggered.connect(self.show_all)
        self._buttons = []
        for action, name in ((self.fit_action, "timelineFit"), (self.all_action, "timelineAll")):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setAccessibleName(f"Timeline: {action.text()}")
            self._buttons.append(button)
        self._place_buttons()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(800, 150)

    # -- what the window calls ----------------------------------------------------------------------
    def set_events(self, events: list[Event] | tuple[Event, ...], data: TimelineData | None = None) -> None:
        """Show a result's events; the view stays where it was when the dates span the same days.
        ``data`` is their TimelineData when a worker made it already (50 ms at 17,000 events)."""
        self.events = list(events)
        old = self.data.whole
        self.data = data if data is not None and data.events == self.events else TimelineData(self.events)
        if self.data.whole is None:
            self.view = None
        elif self.view is None or old != self.data.whole:
            self.view = self.data.dense
        if self.selected not in self.data.by_id:
            self.selected = None
        self._changed()

    def select(self, event_id: int | None) -> None:
        """Highlight an event (or none), panning to it when it is out of view."""
        self.selected = event_id
        i = self.data.index_of.get(event_id) if event_id is not None else None
        if i is not None and self.view is not None:
            start, end = self.data.starts[i], self.data.ends[i]
            if end <= self.view.first or start >= self.view.last:
                middle = (start + end) / 2
                self.view = self.view.panned(middle - (self.view.first + self.view.last) / 2, self.data.limit)
                self.viewChanged.emit()
        self._changed()

    # -- the view -----------------------------------------------------------------------------------
    def fit(self) -> None:
        """The dates that hold the stories (far-off outliers stay counted in the margins)."""
        self._set_view(self.data.dense)

    def show_all(self) -> None:
        self._set_view(self.data.whole)

    def zoom(self, factor: float, at_x: float | None = None) -> None:
        """``factor`` < 1 zooms in, around the date under ``at_x`` (the middle when None)."""
        plot = self.layout_plan().plot
        if self.view is None or plot is None:
            return
        x = plot.center().x() if at_x is None else min(max(at_x, plot.left()), plot.right())
        self._set_view(self.view.zoomed(factor, self.view.day_at(x, plot.left(), plot.width()), self.data.limit))

    def pan_by(self, pixels: float) -> None:
        """Move the dates ``pixels`` to the right (the view goes back in time) or left."""
        plot = self.layout_plan().plot
        if self.view is not None and plot is not None:
            self._set_view(self.view.panned(-pixels * self.view.span / plot.width(), self.data.limit))

    def _set_view(self, view: DayRange | None) -> None:
        if view is not None and view != self.view:
            self.view = view
            self.viewChanged.emit()
            self._changed()

    def _changed(self) -> None:
        self._plan = None
        has_dates = self.data.whole is not None
        for button in self._buttons:
            button.setVisible(has_dates)
        self.fit_action.setEnabled(self.view != self.data.dense)  # greyed: already showing that
        self.all_action.setEnabled(self.view != self.data.whole and self.data.whole != self.data.dense)
        self.update()

    # -- what is drawn where (also for tests and accessibility) -------------------------------------
    def layout_plan(self) -> Plan:
        if self._plan is None:
            self._plan = plan(self.data, self.view, self.width(), self.height(), QFontMetricsF(self.font()),
                              self.selected)
        return self._plan

    def mark_rect(self, event_id: int) -> QRectF | None:
        """Where the event's mark is drawn; None when it is out of view or inside a histogram bar."""
        return next((m.rect for m in self.layout_plan().marks if m.event_id == event_id), None)

    def label_rects(self) -> list[QRectF]:
        return [label.rect for label in self.layout_plan().labels]

    def is_histogram(self) -> bool:
        return bool(self.layout_plan().bucket)

    def hit(self, pos: QPointF):
        """What is under ``pos``: ("event", id), ("bar", Bar), ("edge", Edge), ("more", count) or None."""
        p = self.layout_plan()
        for label in p.labels:
            if label.rect.contains(pos):
                return "event", label.event_id
        for mark in reversed(p.marks):  # the smallest is drawn last, on top
            if mark.rect.adjusted(-2, -2, 2, 2).contains(pos):
                return "event", mark.event_id
        plot = p.plot or QRectF()
        for bar in p.bars:  # the whole height of the band: a short bar is as easy to hit as a tall one
            if bar.rect.left() - 1 <= pos.x() <= bar.rect.right() + 1 and plot.top() <= pos.y() <= plot.bottom():
                return "bar", bar
        for edge in p.edges:
            if edge.rect.contains(pos):
                return "edge", edge
        if p.more is not None and p.more[0].contains(pos):
            return "more", p.more[1]
        return None

    def biggest_in(self, bar: Bar) -> int:
        lo, hi = np.searchsorted(self.data.starts, [bar.first, bar.last])
        return self.data.dated[int(lo + np.argmax(self.data.sizes[lo:hi]))].event_id

    # -- the user's hands ---------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragging = (event.position(), self.view), False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        plot = self.layout_plan().plot
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton and plot is not None:
            dx = event.position().x() - self._press[0].x()
            if self._dragging or abs(dx) >= DRAG_PX:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                start = self._press[1]
                if start is not None:
                    self._set_view(start.panned(-dx * start.span / plot.width(), self.data.limit))
            return
        target = self.hit(event.position())
        hover = target[1] if target and target[0] == "event" else None
        if hover != self._hover:
            self._hover = hover
            self.update()
        on_dates = plot is not None and plot.left() <= event.position().x() <= plot.right()
        self.setCursor(Qt.CursorShape.PointingHandCursor if target and target[0] != "more" else
                       Qt.CursorShape.OpenHandCursor if on_dates else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        clicked = self._press is not None and not self._dragging and event.button() == Qt.MouseButton.LeftButton
        self._press, self._dragging = None, False
        self.unsetCursor()
        if not clicked:
            return
        target = self.hit(event.position())
        if target is None:
            return
        kind, what = target
        if kind == "edge":
            self.show_all()
            return
        if kind in ("event", "bar"):
            eid = what if kind == "event" else self.biggest_in(what)
            self.select(eid)
            self.eventClicked.emit(eid)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta()
        if delta.x() and not delta.y() or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.pan_by((delta.x() or delta.y()) / 2)
        elif delta.y():
            self.zoom(0.8 ** (delta.y() / 120), event.position().x())
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        key = event.key()
        steps = {Qt.Key.Key_Plus: lambda: self.zoom(0.8), Qt.Key.Key_Equal: lambda: self.zoom(0.8),
                 Qt.Key.Key_Minus: lambda: self.zoom(1.25), Qt.Key.Key_Left: lambda: self.pan_by(80),
                 Qt.Key.Key_Right: lambda: self.pan_by(-80), Qt.Key.Key_Home: self.fit}
        if key in steps:
            steps[key]()
        else:
            super().keyPressEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPointF) -> str:
        target = self.hit(pos)
        if target is None:
            return ""
        kind, what = target
        if kind == "event":
            e = self.data.by_id[what]
            when = "undated" if e.start is None else (
                _day(e.start.toordinal()) + ("" if e.end in (None, e.start) else f" – {_day(e.end.toordinal())}"))
            return f"{label_text(e)}\n{when} · {len(e.story_ids):,} stories · click to select it"
        if kind == "bar":
            big = self.data.by_id[self.biggest_in(what)]
            return (f"{self.layout_plan().bucket.capitalize()} of {_day(what.first)}: {what.stories:,} stories "
                    f"in {what.events:,} events\nBiggest: {label_text(big)} · click to select it, scroll to zoom in")
        if kind == "edge":
            where = "before" if what.side == "before" else "after"
            return (f"{what.events:,} events ({what.stories:,} stories) {where} the dates in view · "
                    "click to show all dates")
        return f"{what:,} more undated events, too small to mark here: find them in the tree"

    # -- painting -----------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._plan = None
        self._place_buttons()
        super().resizeEvent(event)

    def _place_buttons(self) -> None:
        x = self.width() - 4
        for button in reversed(self._buttons):
            hint = button.sizeHint()
            x -= hint.width()
            button.setGeometry(x, 2, hint.width(), hint.height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_plan(self, painter, MARK, SELECTED)
