"""Drawing a timeline's plan with QPainter: the work per frame is what the plan holds, nothing more."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from newsdedup.gui.timeline_layout import Plan


def paint_plan(timeline, painter: QPainter, mark: QColor, selected: QColor) -> None:
    palette = timeline.palette()
    painter.fillRect(timeline.rect(), palette.base())
    fm = QFontMetricsF(timeline.font())
    muted, ink = palette.placeholderText().color(), palette.text().color()
    if not timeline.events:
        painter.setPen(muted)
        painter.drawText(timeline.rect(), Qt.AlignmentFlag.AlignCenter, "The events will appear here on a timeline.")
        return
    p = timeline.layout_plan()
    buttons = min((b.x() for b in timeline._buttons if not b.isHidden()), default=timeline.width())
    painter.setPen(muted)
    caption = p.caption or "Events · a mark's size is its number of stories"
    painter.drawText(QPointF(8, 5 + fm.ascent()), fm.elidedText(caption, Qt.TextElideMode.ElideRight,
                                                                 buttons - 16))
    if p.undated is not None:
        _undated_bucket(painter, p, p.undated, fm, palette, ink)
    if p.plot is not None:
        _axis(painter, p, p.plot, fm, ink)
        _bars(painter, p, p.plot, mark, selected)
        _edges(painter, p, fm, muted)
    _marks(painter, p, timeline, mark, selected)
    _labels(painter, p, timeline, palette, ink, selected)


def _undated_bucket(painter: QPainter, p: Plan, area: QRectF, fm: QFontMetricsF, palette, ink: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.alternateBase())
    painter.drawRoundedRect(area.adjusted(0, 0, 0, 4), 6, 6)
    if p.plot is not None:
        painter.setPen(QPen(palette.mid().color(), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left() - 4, area.top()), QPointF(area.left() - 4, p.axis_y + fm.height()))
    n, stories = p.undated_counts
    painter.setPen(ink)
    texts = [f"Undated · {n:,} event{'s' if n != 1 else ''} · {stories:,} stor{'ies' if stories != 1 else 'y'}",
             f"Undated · {n:,} event{'s' if n != 1 else ''}", "Undated"]
    if p.more is not None:  # the smallest had no room: say so where the count is
        texts[:2] = [t + f" ({p.more[1]:,} too small to show)" for t in texts[:2]] + texts[:2]
    text = next((t for t in texts if fm.horizontalAdvance(t) <= area.width() - 8), texts[-1])
    painter.drawText(QRectF(area.left(), p.axis_y + 2, area.width(), fm.height() + 4),
                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)


def _axis(painter: QPainter, p: Plan, plot: QRectF, fm: QFontMetricsF, ink: QColor) -> None:
    painter.setPen(QPen(ink, 1))
    painter.drawLine(QPointF(plot.left(), p.axis_y), QPointF(plot.right(), p.axis_y))
    for x, text in p.ticks:
        painter.drawLine(QPointF(x, p.axis_y), QPointF(x, p.axis_y + 4))
        half = fm.horizontalAdvance(text) / 2
        left = min(max(x - half, plot.left() - 20), plot.right() + 20 - 2 * half)
        painter.drawText(QPointF(left, p.axis_y + 5 + fm.ascent()), text)


def _bars(painter: QPainter, p: Plan, plot: QRectF, mark: QColor, selected: QColor) -> None:
    if not p.bars:
        return
    fill = QColor(mark)
    fill.setAlpha(170)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    for bar in p.bars:
        painter.drawRect(bar.rect)
    if p.highlight_x is not None:
        painter.setPen(QPen(selected, 2))
        painter.drawLine(QPointF(p.highlight_x, plot.top() - 2), QPointF(p.highlight_x, plot.bottom()))


def _edges(painter: QPainter, p: Plan, fm: QFontMetricsF, muted: QColor) -> None:
    painter.setPen(muted)
    for edge in p.edges:
        text = f"◂ {edge.events:,}" if edge.side == "before" else f"{edge.events:,} ▸"
        align = Qt.AlignmentFlag.AlignLeft if edge.side == "before" else Qt.AlignmentFlag.AlignRight
        painter.drawText(edge.rect, align | Qt.AlignmentFlag.AlignVCenter, text)


def _marks(painter: QPainter, p: Plan, timeline, mark: QColor, selected: QColor) -> None:
    """Every mark with one pen and brush (a new pen and colour per mark cost most of the first paint);
    the hovered and the selected one again on top, in their own."""
    _style(painter, mark, 140, 1)
    drawn = {timeline.selected, timeline._hover}
    for m in p.marks:
        if m.event_id not in drawn:
            r = m.rect.height() / 2
            painter.drawRoundedRect(m.rect, r, r)
    for m in sorted((m for m in p.marks if m.event_id in drawn), key=lambda m: m.event_id == timeline.selected):
        chosen = m.event_id == timeline.selected  # the selected one last, on top of all
        _style(painter, selected if chosen else mark, 220, 2.5 if chosen else 1.5)
        r = m.rect.height() / 2
        painter.drawRoundedRect(m.rect, r, r)


def _style(painter: QPainter, colour: QColor, alpha: int, width: float) -> None:
    fill = QColor(colour)
    fill.setAlpha(alpha)
    painter.setBrush(fill)
    painter.setPen(QPen(colour.darker(140), width))


def _labels(painter: QPainter, p: Plan, timeline, palette, ink: QColor, selected: QColor) -> None:
    painter.setPen(QPen(palette.mid().color(), 1))
    for label in p.labels:
        if label.leader is not None:
            painter.drawLine(label.leader)
    background = QColor(palette.base().color())
    background.setAlpha(215)
    for label in p.labels:
        painter.fillRect(label.rect, background)  # leaders pass behind the text, never through it
        chosen = label.event_id == timeline.selected
        painter.setPen(selected.darker(130) if chosen else ink)
        painter.drawText(label.rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label.text)
        if chosen:
            painter.setPen(QPen(selected, 1.5))
            painter.drawLine(label.rect.bottomLeft(), label.rect.bottomRight())
