"""Right-click menus of the tree, the story text and the pair view, offering the user's corrections.

Each ``*_menu`` function only fills and returns a QMenu (tests trigger its actions); ``install`` connects
the widgets so that a right click shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from newsdedup.gui import decisions
from newsdedup.gui.models import ID_ROLE, KIND_ROLE


def tree_menu(window, index: QModelIndex) -> QMenu:
    menu = QMenu(window)
    if not index.isValid() or window.result is None:
        return menu
    kind, ident = index.data(KIND_ROLE), index.data(ID_ROLE)
    event = window.model.event_of(kind, ident)
    if kind == "story":
        group = next(g for g in window.result.groups if ident in g.members)
        decisions.story_menu(menu, window.session, ident, group.canonical if len(group.members) > 1 else None)
        menu.addSeparator()
    if event is not None:
        decisions.event_menu(menu, window.session, event.story_ids[0], event.label)
    return menu


def story_text_menu(window, position: QPoint) -> QMenu:
    """The editor's own menu (Copy, Select All) and the boilerplate corrections at ``position``."""
    view = window.document_view
    menu = view.text.createStandardContextMenu(position)
    if view.story is None or view._shown is None:
        return menu
    offset = view._shown.doc_offset(view.text.cursorForPosition(position).position())
    cursor = view.text.textCursor()
    selected = None
    if cursor.hasSelection():
        selected = (view._shown.doc_offset(cursor.selectionStart()), view._shown.doc_offset(cursor.selectionEnd()))
    menu.addSeparator()
    decisions.boilerplate_menu(menu, window.session, view.story.story_id, offset, selected)
    return menu


def pair_menu(window, edit: QPlainTextEdit | None = None, position: QPoint | None = None) -> QMenu:
    pair = window.pair_view
    menu = edit.createStandardContextMenu(position) if edit is not None else QMenu(window)
    if pair.a is not None:
        menu.addSeparator()
        decisions.pair_menu(menu, window.session, pair.a.story_id, pair.b.story_id)
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
