"""Right-click menus of the tree, the story text and the pair view, offering reading and the user's corrections.

Each ``*_menu`` function only fills and returns a QMenu (tests trigger its actions); ``install`` connects
the widgets so that a right click shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from newsdedup.gui import decisions
from newsdedup.gui.models import ID_ROLE, KIND_ROLE
from newsdedup.model import ScanResult


def original_file(result: ScanResult, story_id: str) -> Path | None:
    """The file on disk a story was read from (its name in the result is relative to the scanned folder,
    or to the folder above it when two scanned folders hold the same name)."""
    doc = result.document(result.story(story_id).doc_id)
    root = Path(doc.root)
    for base in (root, root.parent):
        path = base / doc.path
        if path.is_file():
            return path
    return None


def open_original(result: ScanResult, story_id: str) -> bool:
    path = original_file(result, story_id)
    return path is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def tree_menu(window, index: QModelIndex) -> QMenu:
    menu = QMenu(window)
    result = window.result
    if not index.isValid() or result is None:
        return menu
    kind, ident = index.data(KIND_ROLE), index.data(ID_ROLE)
    event = window.model.event_of(kind, ident)
    if kind == "story":
        group = next(g for g in result.groups if ident in g.members)
        copy_of = group.canonical if len(group.members) > 1 and group.canonical != ident else None
        if copy_of is not None:
            menu.addAction("Compare side by side with its original", lambda: window.show_pair(copy_of, ident))
        file = original_file(result, ident)
        open_file = menu.addAction("Open original file", lambda: open_original(result, ident))
        open_file.setEnabled(file is not None)
        menu.addSeparator()
        decisions.story_menu(menu, window, ident, group.canonical if len(group.members) > 1 else None)
        menu.addSeparator()
    if event is not None:
        decisions.event_menu(menu, window, event.story_ids[0], event.label)
    return menu


def story_text_menu(window, position: QPoint) -> QMenu:
    """The editor's own menu (Copy, Select All) and the boilerplate corrections at ``position``."""
    view = window.document_view
    menu = view.text.createStandardContextMenu(position)
    if view.story is None or view.shown is None:
        return menu
    offset = view.shown.doc_offset(view.text.cursorForPosition(position).position())
    cursor = view.text.textCursor()
    selected = None
    if cursor.hasSelection():
        selected = (view.shown.doc_offset(cursor.selectionStart()), view.shown.doc_offset(cursor.selectionEnd()))
    menu.addSeparator()
    story_id = view.story.story_id
    menu.addAction("Open original file", lambda: open_original(window.result, story_id))
    decisions.boilerplate_menu(menu, window, story_id, offset, selected)
    return menu


def pair_menu(window, edit: QPlainTextEdit | None = None, position: QPoint | None = None) -> QMenu:
    pair = window.pair_view
    menu = (edit.createStandardContextMenu(position) if edit is not None and position is not None
            else QMenu(window))
    if pair.a is not None:
        menu.addSeparator()
        decisions.pair_menu(menu, window, pair.a.story_id, pair.b.story_id)
    return menu


def install(window) -> None:
    def shown(widget, make):
        widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        area = widget.viewport()  # a scroll area reports positions on its viewport
        widget.customContextMenuRequested.connect(lambda pos: make(pos).exec(area.mapToGlobal(pos)))

    shown(window.tree, lambda pos: tree_menu(window, window.tree.indexAt(pos)))
    shown(window.document_view.text, lambda pos: story_text_menu(window, pos))
    for side in (window.pair_view.left.text, window.pair_view.right.text):
        shown(side, lambda pos, s=side: pair_menu(window, s, pos))
