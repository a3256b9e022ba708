"""Duplicate and event thresholds as controls, with a histogram of pair similarities where the first cuts.

Moving a control emits ``changed`` (after a short pause, so a spin box held down regroups once); the
window then regroups the cached result on its worker, without reading a file again.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings
from newsdedup.gui.actions import named
from newsdedup.regroup import FLOOR_CONTAINMENT, FLOOR_JACCARD

BINS = 20
BELOW = QColor("#9bb7d4")
ABOVE = QColor("#e8590c")


class SimilarityHistogram(QWidget):
    """How many scored pairs fall at each Jaccard similarity, and where the copy threshold cuts them."""

    thresholdPicked = Signal(float)  # noqa: N815 - a click on the histogram moves the threshold there

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("similarityHistogram")
        self.setAccessibleName("Histogram of pair similarities with the copy threshold")
        self.setMinimumSize(220, 110)
        self.counts = np.zeros(BINS, dtype=int)
        self.threshold = DuplicateSettings().near_duplicate_jaccard
        self.values = np.zeros(0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(260, 120)

    def set_values(self, jaccards: np.ndarray) -> None:
        self.values = np.asarray(jaccards, dtype=float)
        self.counts = np.histogram(self.values, bins=BINS, range=(0.0, 1.0))[0]
        self.update()

    def set_threshold(self, value: float) -> None:
        self.threshold = value
        self.update()

    def above(self) -> int:
        return int((self.values >= self.threshold).sum())

    def _plot(self) -> QRectF:
        fm = QFontMetrics(self.font())
        return QRectF(6, fm.height() + 4, self.width() - 12, self.height() - 2 * fm.height() - 10)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        plot = self._plot()
        x = (event.position().x() - plot.left()) / max(1.0, plot.width())
        self.thresholdPicked.emit(round(min(1.0, max(0.0, x)) * 20) / 20)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        fm = QFontMetrics(self.font())
        plot = self._plot()
        top = max(1, int(self.counts.max()))
        width = plot.width() / BINS
        for i, n in enumerate(self.counts):
            if not n:
                continue
            h = max(2.0, plot.height() * np.sqrt(n / top))  # square root: one big bin does not flatten the rest
            p.fillRect(QRectF(plot.left() + i * width + 1, plot.bottom() - h, width - 2, h),
                       ABOVE if (i + 0.5) / BINS >= self.threshold else BELOW)
        p.setPen(self.palette().text().color())
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        base = plot.bottom() + 2 + fm.ascent()
        for v in (0.0, 0.5, 1.0):
            text = f"{v:g}"
            x = plot.left() + v * plot.width() - v * fm.horizontalAdvance(text)
            p.drawText(QPointF(x, base), text)
        x = plot.left() + self.threshold * plot.width()
        p.setPen(QPen(QColor("#c92a2a"), 2))
        p.drawLine(QPointF(x, plot.top() - 2), QPointF(x, plot.bottom()))
        p.setPen(self.palette().text().color())
        pairs = "1 similar pair" if len(self.values) == 1 else f"{len(self.values)} similar pairs"
        caption = f"{pairs} by Jaccard · {self.above()} over the red line"
        p.drawText(QPointF(plot.left(), fm.ascent() + 1), caption)


def _spin(name: str, accessible: str, low: float, high: float, step: float) -> QDoubleSpinBox:
    box = named(QDoubleSpinBox(), name)
    box.setAccessibleName(accessible)
    box.setToolTip(f"From {low:.2f} to {high:.2f}")  # the box refuses other values: say which it takes
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(2)
    box.setKeyboardTracking(False)
    return box


class ThresholdsPanel(QGroupBox):
    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__("Regroup without rescanning", parent)
        self.setObjectName("thresholdsPanel")
        self.near = _spin("nearDuplicateThreshold", "Copies: Jaccard at least", FLOOR_JACCARD, 1.0, 0.05)
        self.reuse = _spin("partialReuseThreshold", "Built on another story: containment at least",
                           FLOOR_CONTAINMENT, 1.0, 0.05)
        self.similarity = _spin("eventSimilarityThreshold", "Same event: text similarity at least", 0.05, 0.95, 0.05)
        self.days = named(QSpinBox(), "eventWindowDays")
        self.days.setAccessibleName("Same event: dated within days")
        self.days.setRange(1, 365)
        self.days.setKeyboardTracking(False)
        self.histogram = SimilarityHistogram(self)
        self.histogram.thresholdPicked.connect(lambda v: self.near.setValue(max(FLOOR_JACCARD, v)))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)  # numbers, not bars
        form.addRow(f"Copies: Jaccard ≥ ({FLOOR_JACCARD:.2f}–1)", self.near)
        form.addRow(self.histogram)
        form.addRow(f"Built on: containment ≥ ({FLOOR_CONTAINMENT:.2f}–1)", self.reuse)
        form.addRow("Same event: similarity ≥ (0.05–0.95)", self.similarity)
        form.addRow("Same event: within (1–365 days)", self.days)
        hint = QLabel("Orange bars are pairs counted as copies.")
        hint.setWordWrap(True)
        form.addRow(hint)
        self._pause = QTimer(self, singleShot=True, interval=350)
        self._pause.timeout.connect(self.changed)
        self.set_values(DuplicateSettings(), EventSettings())
        for box in (self.near, self.reuse, self.similarity, self.days):
            box.valueChanged.connect(self._moved)

    def _moved(self) -> None:
        self.histogram.set_threshold(self.near.value())
        self._pause.start()

    def set_values(self, duplicates: DuplicateSettings, events: EventSettings) -> None:
        for box, value in ((self.near, duplicates.near_duplicate_jaccard),
                           (self.reuse, duplicates.partial_reuse_containment),
                           (self.similarity, events.link_similarity)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.days.blockSignals(True)
        self.days.setValue(events.window_days)
        self.days.blockSignals(False)
        self.histogram.set_threshold(self.near.value())

    def values(self, duplicates: DuplicateSettings = DuplicateSettings(),
               events: EventSettings = EventSettings()) -> tuple[DuplicateSettings, EventSettings]:
        """``duplicates`` and ``events`` with the thresholds the controls show."""
        return (dataclasses.replace(duplicates, near_duplicate_jaccard=round(self.near.value(), 2),
                                    partial_reuse_containment=round(self.reuse.value(), 2)),
                dataclasses.replace(events, link_similarity=round(self.similarity.value(), 2),
                                    window_days=self.days.value()))
