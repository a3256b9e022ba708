"""What the app remembers between sessions (QSettings): layout, recent folders, thresholds, export folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings

RECENT_MAX = 8
DEFAULT_SHARE = 0.9  # of the screen's free area a first start takes
_THRESHOLDS = (("duplicates", "near_duplicate_jaccard", float), ("duplicates", "partial_reuse_containment", float),
               ("events", "link_similarity", float), ("events", "window_days", int))


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def recent_folders(settings: QSettings) -> list[str]:
    return _as_list(settings.value("recentFolders"))


def remember_folders(settings: QSettings, paths: list[Path]) -> list[str]:
    """Put ``paths`` first in the recent list (most recent first, no repeats, at most RECENT_MAX)."""
    recent = [str(Path(p).resolve()) for p in reversed(paths)]
    recent += [r for r in recent_folders(settings) if r not in recent]
    recent = recent[:RECENT_MAX]
    settings.setValue("recentFolders", recent)
    return recent


def load_thresholds(settings: QSettings) -> tuple[DuplicateSettings, EventSettings]:
    parts: dict[str, DuplicateSettings | EventSettings] = {"duplicates": DuplicateSettings(),
                                                           "events": EventSettings()}
    for part, name, kind in _THRESHOLDS:
        value = settings.value(f"thresholds/{name}")
        if value is None:
            continue
        try:
            parts[part] = dataclasses.replace(parts[part], **{name: kind(value)})  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass  # a hand-edited or old settings file: keep the default
    duplicates, events = parts["duplicates"], parts["events"]
    assert isinstance(duplicates, DuplicateSettings) and isinstance(events, EventSettings)
    return duplicates, events


def save_thresholds(settings: QSettings, duplicates: DuplicateSettings, events: EventSettings) -> None:
    parts = {"duplicates": duplicates, "events": events}
    for part, name, _kind in _THRESHOLDS:
        settings.setValue(f"thresholds/{name}", getattr(parts[part], name))


def save_layout(settings: QSettings, window: QMainWindow, splitters: list[QSplitter], side_shown: bool = True
                ) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/sidePanel", side_shown)
    settings.setValue("window/state", window.saveState())
    for s in splitters:
        settings.setValue(f"splitters/{s.objectName()}", s.saveState())


def side_panel_shown(settings: QSettings, window: QMainWindow) -> bool:
    """Whether the thresholds and folders show: as the user left them; at first, only on a tall window
    (on a laptop screen the tree needs the height)."""
    saved = settings.value("window/sidePanel")
    if saved is None:
        return window.height() >= 900
    return str(saved).lower() not in ("false", "0")


def restore_window(settings: QSettings, window: QMainWindow) -> None:
    """Size, place and docks: before the window is shown. The window always fits the screen it opens
    on: a first start takes most of that screen, and a size saved on a bigger screen is shrunk to it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 820)
    geometry = settings.value("window/geometry")
    if geometry is None or not window.restoreGeometry(geometry):
        size = QSize(min(1600, int(available.width() * DEFAULT_SHARE)),
                     min(1000, int(available.height() * DEFAULT_SHARE)))
        window.resize(size)
        window.move(available.center() - QRect(QPoint(), size).center())
    fit_to(window, available)
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)


def fit_to(window: QMainWindow, available: QRect) -> None:
    """Shrink and move ``window`` so its frame lies inside ``available`` (a screen's free area)."""
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())  # title bar, borders
    width = min(window.width(), available.width() - extra.width())
    height = min(window.height(), available.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(frame.x(), available.left()), available.right() + 1 - width - extra.width())
    y = min(max(frame.y(), available.top()), available.bottom() + 1 - height - extra.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def restore_splitters(settings: QSettings, splitters: list[QSplitter]) -> None:
    """Splitter positions: once the window is shown, so its layout does not resize them again."""
    for s in splitters:
        saved = settings.value(f"splitters/{s.objectName()}")
        if saved is not None:
            s.restoreState(saved)
