"""What the app remembers between sessions (QSettings): layout, recent folders, thresholds, export folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings

RECENT_MAX = 8
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
    parts = {"duplicates": DuplicateSettings(), "events": EventSettings()}
    for part, name, kind in _THRESHOLDS:
        value = settings.value(f"thresholds/{name}")
        if value is None:
            continue
        try:
            parts[part] = dataclasses.replace(parts[part], **{name: kind(value)})
        except (TypeError, ValueError):
            pass  # a hand-edited or old settings file: keep the default
    return parts["duplicates"], parts["events"]


def save_thresholds(settings: QSettings, duplicates: DuplicateSettings, events: EventSettings) -> None:
    parts = {"duplicates": duplicates, "events": events}
    for part, name, _kind in _THRESHOLDS:
        settings.setValue(f"thresholds/{name}", getattr(parts[part], name))


def save_layout(settings: QSettings, window: QMainWindow, splitters: list[QSplitter]) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for s in splitters:
        settings.setValue(f"splitters/{s.objectName()}", s.saveState())


def restore_window(settings: QSettings, window: QMainWindow) -> None:
    """Size, place and docks: before the window is shown."""
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)


def restore_splitters(settings: QSettings, splitters: list[QSplitter]) -> None:
    """Splitter positions: once the window is shown, so its layout does not resize them again."""
    for s in splitters:
        saved = settings.value(f"splitters/{s.objectName()}")
        if saved is not None:
            s.restoreState(saved)
