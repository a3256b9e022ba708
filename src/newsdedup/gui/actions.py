"""Widgets and menu actions with the stable object names tests and users find them by."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

Named = TypeVar("Named", bound=QObject)


def named(thing: Named, name: str) -> Named:
    """``thing`` with its object name set (Qt's keyword form is not in PySide6's type stubs)."""
    thing.setObjectName(name)
    return thing


def add_action(parent: QWidget, menu: QMenu, text: str, name: str, slot, shortcut=None) -> QAction:
    action = named(QAction(text, parent), name)
    action.triggered.connect(slot)
    if shortcut is not None:
        action.setShortcut(shortcut)
    menu.addAction(action)
    return action
