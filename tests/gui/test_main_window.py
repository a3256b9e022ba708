"""The main window on real widgets: a folder dropped on it is scanned off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QProgressBar, QPushButton, QTreeWidget

from newsdedup.gui import create_window


def test_dropping_the_seeds_folder_shows_events(qtbot, seeds_dir):
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(seeds_dir))])
    where = window.rect().center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window, enter)  # as a real drag: enter first, then drop
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, mods))
    assert window.findChild(QProgressBar, "scanProgress").isVisible()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    tree = window.findChild(QTreeWidget, "eventTree")
    assert tree.topLevelItemCount() == len(window.result.events) >= 1
    stories = sum(tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount()))
    assert stories == 6
    assert not window.findChild(QPushButton, "cancelScan").isVisible()


def test_create_window_scans_the_paths_it_is_given(qtbot, seeds_dir):
    window = create_window([seeds_dir])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    assert len(window.result.stories) == 6
