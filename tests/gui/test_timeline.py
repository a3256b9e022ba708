"""The timeline on its own, as a reader uses it: readable at 5 and at 5,000 events, zoom, pan, fit, selection."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from newsdedup.events.axis import DayRange, ticks
from newsdedup.gui.timeline import Timeline
from newsdedup.model import Event

LEFT = Qt.MouseButton.LeftButton
DAY0 = dt.date(2024, 3, 1)


def event(i: int, start: dt.date | None, stories: int, end: dt.date | None = None, label: str = "") -> Event:
    return Event(i, label or f"harbour{i} · storm{i} · wall", start, end or start,
                 tuple(f"s{i}_{k}" for k in range(stories)))


def few() -> list[Event]:
    """Four dated events a few days apart, of 1 to 22 stories, and one undated one."""
    return [event(i, DAY0 + dt.timedelta(days=5 * i), 1 + 7 * i, DAY0 + dt.timedelta(days=5 * i + i % 2 * 3))
            for i in range(4)] + [event(9, None, 2, label="museum · boats")]


def thousands(n: int = 5000, seed: int = 3) -> list[Event]:
    """``n`` events over a year, sizes heavy-tailed as in a real folder, some undated, and outliers
    decades away (dates quoted in stories about history)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        start = None if rng.random() < 0.05 else DAY0 + dt.timedelta(days=rng.randrange(365))
        out.append(event(i, start, max(1, int(rng.paretovariate(1.3)))))
    return out + [event(n + k, dt.date(1985 + 3 * k, 5, 1), 1) for k in range(4)]


@pytest.fixture
def timeline(qtbot):
    t = Timeline()
    qtbot.addWidget(t)
    t.resize(1280, 150)
    t.show()
    return t


def wheel(widget, x: float, steps: int) -> None:
    pos = QPointF(x, widget.height() / 2)
    QApplication.sendEvent(widget, QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(), QPoint(0, 120 * steps),
                                               Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                               Qt.ScrollPhase.NoScrollPhase, False))


def drag(widget, x0: float, x1: float) -> None:
    y = widget.height() / 2
    for kind, x, buttons in ((QEvent.Type.MouseButtonPress, x0, LEFT), (QEvent.Type.MouseMove, (x0 + x1) / 2, LEFT),
                             (QEvent.Type.MouseMove, x1, LEFT), (QEvent.Type.MouseButtonRelease, x1, Qt.MouseButton.NoButton)):
        pos = QPointF(x, y)
        QApplication.sendEvent(widget, QMouseEvent(kind, pos, widget.mapToGlobal(pos), LEFT, buttons,
                                                   Qt.KeyboardModifier.NoModifier))


def paint(widget) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    image.fill(0)
    widget.render(image)
    return image


def assert_readable(t: Timeline) -> None:
    """No two labels overlap nor cover a mark or bar, and every label, mark and bar lies inside the widget."""
    plan, inside = t.layout_plan(), QRectF(t.rect())
    labels = t.label_rects()
    for a, b in itertools.combinations(labels, 2):
        assert not a.intersects(b), (a, b)
    for label, rect in itertools.product(labels, [m.rect for m in plan.marks] + [b.rect for b in plan.bars]):
        assert not label.intersects(rect), (label, rect)
    for rect in labels + [m.rect for m in plan.marks] + [b.rect for b in plan.bars]:
        assert inside.contains(rect), rect


def test_five_events_each_have_a_labelled_mark_sized_by_stories(timeline):
    events = few()
    timeline.set_events(events)
    rects = {e.event_id: timeline.mark_rect(e.event_id) for e in events}
    assert all(rects.values()) and not timeline.is_histogram()
    assert not timeline.fit_action.isEnabled() and not timeline.all_action.isEnabled()  # all in view
    heights = [rects[e.event_id].height() for e in events[:4]]
    assert heights == sorted(heights) and heights[0] < heights[-1]
    assert rects[9].left() > max(rects[e.event_id].right() for e in events[:4])  # undated stand apart
    assert {label.event_id for label in timeline.layout_plan().labels} == {e.event_id for e in events}
    assert_readable(timeline)


@pytest.mark.parametrize("size", [(1280, 150), (1366, 130), (700, 120), (1920, 300), (360, 120)])
def test_at_thousands_of_events_labels_never_overlap_and_nothing_leaves_the_widget(qtbot, timeline, size):
    timeline.resize(*size)
    timeline.set_events(thousands())
    assert timeline.is_histogram()  # thousands of marks in a few hundred pixels cannot be told apart
    assert timeline.layout_plan().bars and timeline.label_rects()
    assert_readable(timeline)
    assert not paint(timeline).isNull()
    timeline.set_events(few())  # and a few events fit the same sizes
    assert_readable(timeline)


def test_far_off_dates_do_not_squeeze_the_year_that_holds_the_stories(timeline):
    timeline.set_events(thousands(400))
    view = timeline.view
    assert view.first > dt.date(2024, 1, 1).toordinal() and view.span < 450  # fitted to the dense year
    before = [e for e in timeline.layout_plan().edges if e.side == "before"]
    assert before and before[0].events == 4  # the 1985-1994 outliers are counted at the left edge
    assert not timeline.fit_action.isEnabled() and timeline.all_action.isEnabled()
    timeline.all_action.trigger()
    assert timeline.view.first <= dt.date(1985, 5, 1).toordinal() and not timeline.layout_plan().edges
    assert timeline.fit_action.isEnabled() and not timeline.all_action.isEnabled()
    timeline.fit_action.trigger()
    assert timeline.view == view


def test_wheel_zooms_around_the_pointer_and_drag_pans(timeline):
    timeline.set_events(thousands(400))
    plot = timeline.layout_plan().plot
    x = plot.left() + plot.width() * 0.3
    day = timeline.view.day_at(x, plot.left(), plot.width())
    span = timeline.view.span
    wheel(timeline, x, 3)
    assert timeline.view.span < span * 0.6
    assert timeline.view.day_at(x, plot.left(), plot.width()) == pytest.approx(day, abs=0.01)
    zoomed = timeline.view
    drag(timeline, 600, 700)  # the dates move right with the hand: earlier days come into view
    assert timeline.view.first == pytest.approx(zoomed.first - 100 * zoomed.span / plot.width())
    wheel(timeline, x, -40)  # zooming out stops at the whole span
    assert timeline.view.span <= timeline.data.limit.span + 1e-6
    qbutton = timeline.findChild(type(timeline._buttons[0]), "timelineFit")
    qbutton.click()
    assert timeline.view == timeline.data.dense


def test_zoomed_in_far_enough_the_histogram_turns_back_into_marks(timeline):
    timeline.set_events(thousands(2000))
    assert timeline.is_histogram()
    for _ in range(30):
        wheel(timeline, 640, 2)
        if not timeline.is_histogram():
            break
    assert not timeline.is_histogram() and timeline.layout_plan().marks
    assert_readable(timeline)


def test_a_click_on_a_mark_or_a_bar_selects_its_event(qtbot, timeline):
    events = few()
    timeline.set_events(events)
    target = events[2]
    with qtbot.waitSignal(timeline.eventClicked) as clicked:
        qtbot.mouseClick(timeline, LEFT, pos=timeline.mark_rect(target.event_id).center().toPoint())
    assert clicked.args == [target.event_id] and timeline.selected == target.event_id
    timeline.set_events(thousands(2000))
    bar = max(timeline.layout_plan().bars, key=lambda b: b.stories)
    with qtbot.waitSignal(timeline.eventClicked) as clicked:
        qtbot.mouseClick(timeline, LEFT, pos=bar.rect.center().toPoint())
    chosen = timeline.data.by_id[clicked.args[0]]
    assert bar.first <= chosen.start.toordinal() < bar.last
    assert "stories" in timeline.tooltip_at(bar.rect.center())


def test_selecting_an_event_elsewhere_highlights_it_and_brings_it_into_view(timeline):
    events = thousands(400)
    timeline.set_events(events)
    for _ in range(12):
        wheel(timeline, 200, 2)  # zoomed in on early days, so most events are out of view
    late = max((e for e in events if e.start), key=lambda e: (e.start, len(e.story_ids)))
    assert timeline.view.last < late.start.toordinal()
    timeline.select(late.event_id)
    assert timeline.view.first <= late.start.toordinal() <= timeline.view.last
    plan = timeline.layout_plan()
    assert plan.labels[0].event_id == late.event_id  # its label is given room first
    rect = timeline.mark_rect(late.event_id)
    assert rect is None and plan.highlight_x is not None or plan.plot.contains(rect.center())
    assert late.label.split(" · ")[0] in timeline.tooltip_at(plan.labels[0].rect.center())


def test_an_empty_or_all_undated_result_draws_without_a_date_axis(timeline):
    timeline.set_events([])
    assert not paint(timeline).isNull() and timeline.view is None
    timeline.set_events([event(i, None, 1 + i % 9) for i in range(5000)])
    plan = timeline.layout_plan()
    assert plan.plot is None and plan.more is not None and plan.marks
    assert_readable(timeline)
    small = plan.marks[-1].event_id  # one of the smallest that have a mark: no label of its own
    assert small not in {label.event_id for label in plan.labels}
    timeline.select(small)
    assert timeline.layout_plan().labels[0].event_id == small  # selected in the tree: labelled
    assert_readable(timeline)
    assert not paint(timeline).isNull()


@pytest.mark.parametrize("days", [3, 20, 70, 400, 1500, 8000, 40000])
def test_axis_ticks_never_touch_and_name_the_year(days):
    fm = QFontMetricsF(QApplication.font())
    first = float(DAY0.toordinal())
    marks = ticks(DayRange(first, first + days), 0, 1000, fm.horizontalAdvance("30 Sep 2026") + 12)
    assert 2 <= len(marks) <= 15
    for (x0, a), (x1, _b) in itertools.pairwise(marks):
        assert x1 - x0 >= fm.horizontalAdvance(a)
    assert any(str(y) in text for y in range(1900, 2200) for _x, text in marks)
