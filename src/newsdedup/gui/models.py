"""The results tree: events → duplicate groups → stories, as a Qt item model over a ScanResult.

The model is a thin adapter: every row is built from the core result and nothing is copied into Qt items.
Filtering and sorting live in ``ResultFilterProxy`` (as Picard's log view does), which keeps the events
and groups above a matching story and all the stories under a matching event.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from newsdedup.events.cluster import date_range_label
from newsdedup.gui.decisions import edited_words
from newsdedup.model import DuplicateGroup, Event, ScanResult

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "event", "group" or "story"
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # event id, group id or story id
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
FILTER_ROLE = Qt.ItemDataRole.UserRole + 4
EDITED_ROLE = Qt.ItemDataRole.UserRole + 5  # the user's edit words ("moved", "renamed"…), () if none

COLUMNS = ("Event / group / story", "Stories", "Date", "Source", "Relation", "Score")
NAME, SIZE, DATE, SOURCE, RELATION, SCORE = range(len(COLUMNS))
RELATION_WORDS = {"canonical": "likely original", "exact": "exact copy", "near_duplicate": "near-duplicate",
                  "copy_with_changes": "copy with changes", "partial_reuse": "partial reuse"}


class _Node:
    __slots__ = ("kind", "payload", "parent", "row", "children", "cells")

    def __init__(self, kind: str, payload, parent: _Node | None, row: int) -> None:
        self.kind, self.payload, self.parent, self.row = kind, payload, parent, row
        self.children: list[_Node] = []
        self.cells: list[tuple] | None = None  # (shown, sort key) per column, made on first ask


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: dt.date | None) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else "undated"  # strftime is slow per row


def _date_key(d: dt.date | None) -> int:
    return d.toordinal() if d else dt.date.max.toordinal()  # undated sort last


class ResultTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.result: ScanResult | None = None
        self._roots: list[_Node] = []
        self._by_id: dict[tuple[str, object], _Node] = {}  # (kind, id) -> node

    def set_result(self, result: ScanResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self._roots, self._by_id = self._build(result) if result is not None else ([], {})
        self.endResetModel()

    @staticmethod
    def _build(result: ScanResult) -> tuple[list[_Node], dict]:
        """The tree in one pass over events, groups and stories (a result of thousands of stories is
        shown in a blink; nothing here may scale with the square of anything)."""
        group_of = {sid: g for g in result.groups for sid in g.members}
        roots, by_id = [], {}
        for er, event in enumerate(result.events):
            enode = _Node("event", event, None, er)
            by_id["event", event.event_id] = enode
            seen: set[int] = set()
            for sid in event.story_ids:
                group = group_of[sid]
                if group.group_id in seen:
                    continue
                seen.add(group.group_id)
                gnode = _Node("group", group, enode, len(enode.children))
                by_id["group", group.group_id] = gnode
                gnode.children = [_Node("story", s, gnode, sr) for sr, s in enumerate(group.members)]
                for snode in gnode.children:
                    by_id["story", snode.payload] = snode
                enode.children.append(gnode)
            roots.append(enode)
        return roots, by_id

    # -- structure ----------------------------------------------------------------------------------
    def _node(self, index: QModelIndex) -> _Node | None:
        return index.internalPointer() if index.isValid() else None

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        pnode = self._node(parent)
        siblings = self._roots if pnode is None else pnode.children
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(self._roots) if node is None else len(node.children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- data ---------------------------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        node = self._node(index)
        if node is None or self.result is None:
            return None
        if role == KIND_ROLE:
            return node.kind
        if role == ID_ROLE:
            p = node.payload
            return p.event_id if node.kind == "event" else p.group_id if node.kind == "group" else p
        cells = node.cells
        if cells is None:
            cells = node.cells = getattr(self, f"_{node.kind}_cells")(node)
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()][0]
        if role == SORT_ROLE:
            return cells[index.column()][1]
        if role == FILTER_ROLE:
            return " ".join(str(c[0]) for c in cells)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (SIZE, SCORE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole, EDITED_ROLE):
            words = self._edits_of(node)
            if role == EDITED_ROLE:
                return words
            if role == Qt.ItemDataRole.FontRole and words:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole and words:
                return edited_words(words)
        return None

    def _edits_of(self, node: _Node) -> tuple[str, ...]:
        """The edit words of a story the user's decisions changed; for an event or group, of its stories."""
        edits = self.result.edits or {}
        if not edits:
            return ()
        if node.kind == "story":
            return tuple(edits.get(node.payload, ()))
        ids = node.payload.story_ids if node.kind == "event" else node.payload.members
        return tuple(sorted({w for sid in ids for w in edits.get(sid, ())}))

    def _event_cells(self, node: _Node) -> list[tuple]:
        e: Event = node.payload
        when = date_range_label(e.start, e.end) or "undated"
        n = len(e.story_ids)
        return [(e.label or "(no label)", e.label.lower()), (_count(n, "story", "stories"), n),
                (when, _date_key(e.start)), ("", ""), (_count(len(node.children), "group", "groups"), len(node.children)),
                ("", 0.0)]

    def _group_cells(self, node: _Node) -> list[tuple]:
        g: DuplicateGroup = node.payload
        story = self.result.story(g.canonical)
        n = len(g.members)
        copies = "unique" if n == 1 else f"{n} copies"
        date = day(story.published)
        title = story.title or g.canonical
        return [(title, title.lower()), (copies, n), (date, _date_key(story.published)),
                (story.source, story.source.lower()), ("", ""), ("", 0.0)]

    def _story_cells(self, node: _Node) -> list[tuple]:
        sid: str = node.payload
        story = self.result.story(sid)
        group: DuplicateGroup = node.parent.payload
        relation, jaccard, _containment = group.score_of(sid)
        canonical = sid == group.canonical
        score = "" if canonical else f"Jaccard {jaccard:.2f}"
        if len(group.members) == 1:
            relation = ""  # a story with no copies is nobody's original
        title = story.title or sid
        date = day(story.published)
        return [(title, title.lower()), (f"{story.words} words", story.words), (date, _date_key(story.published)),
                (story.source, story.source.lower()), (RELATION_WORDS.get(relation, relation), relation),
                (score, 1.0 if canonical else jaccard)]

    # -- lookups for the window ---------------------------------------------------------------------
    def index_of(self, kind: str, ident) -> QModelIndex:
        """The index of the event, group or story with this id (story ids are strings), or invalid."""
        node = self._by_id.get((kind, ident))
        return QModelIndex() if node is None else self.createIndex(node.row, 0, node)

    def event_of(self, kind: str, ident) -> Event | None:
        """The event that holds this event, group or story."""
        node = self._by_id.get((kind, ident))
        while node is not None and node.parent is not None:
            node = node.parent
        return None if node is None else node.payload

    def first_story(self, kind: str, ident) -> str | None:
        """The story to read for a row: a story itself, a group's likely original, an event's first."""
        node = self._by_id.get((kind, ident))
        while node is not None and node.kind != "story":
            node = node.children[0] if node.children else None
        return None if node is None else node.payload


class ResultFilterProxy(QSortFilterProxyModel):
    """Filter rows by any words of their cells; a matching event shows all its stories."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(FILTER_ROLE)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(0)
