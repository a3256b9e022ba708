"""Making menu actions with the stable object names tests and users find them by."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget


def add_action(parent: QWidget, menu: QMenu, text: str, name: str, slot, shortcut=None) -> QAction:
    action = QAction(text, parent, objectName=name)
    action.triggered.connect(slot)
    if shortcut is not None:
        action.setShortcut(shortcut)
    menu.addAction(action)
    return action
