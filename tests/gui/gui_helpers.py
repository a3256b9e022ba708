"""What GUI tests do as a user would: drop files on a window, wait for its scan, make a big folder."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication


def drop(widget, paths: list, urls: list[QUrl] = ()) -> bool:
    """Drag ``paths`` onto ``widget`` and drop them, as a file manager does; whether the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths] + list(urls))
    where = widget.rect().center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(where), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(widget, QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, mods))
    return True


def wait_for_result(qtbot, window, timeout: int = 60_000):
    qtbot.waitUntil(lambda: window.result is not None and not window.is_scanning(), timeout=timeout)
    return window.result


WORDS = ("minister council border harbour election budget storm court vaccine strike river mayor "
         "market union police bridge school farmer energy summit treaty protest airport museum "
         "festival railway factory hospital drought flood senate").split()


def large_folder(root: Path, files: int = 3000, words: int = 120, seed: int = 7) -> Path:
    """A folder of ``files`` short made-up articles: enough that a scan takes a while."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        body = " ".join(rng.choice(WORDS) for _ in range(words))
        (root / f"article_{i:05d}.txt").write_text(f"Report {i}\n\n{body}.\n", encoding="utf-8")
    return root
