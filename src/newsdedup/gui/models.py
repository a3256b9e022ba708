"""The results tree: events → duplicate groups → stories, as a Qt item model over a ScanResult.

The model is a thin adapter: rows are built from the core result when the view first asks for them, and
nothing is copied into Qt items. A story with no copies sits right under its event (its one-story group
adds no level). Events reach the view in batches through ``canFetchMore``/``fetchMore``, so showing a
result of tens of thousands of stories never stalls the window; an event's rows are made when it is
opened. Filtering and sorting happen here, over lists made once per result (``StoryIndex``); the proxy
on top only passes them on, so neither costs a Python call per row and comparison.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractItemModel, QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from newsdedup.events.cluster import date_range_label
from newsdedup.gui.decisions import edited_words
from newsdedup.gui.story_index import StoryIndex, count, date_key, day
from newsdedup.model import DuplicateGroup, Event, ScanResult
from newsdedup.search import SearchIndex

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "event", "group" or "story"
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # event id, group id or story id
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
EDITED_ROLE = Qt.ItemDataRole.UserRole + 5  # the user's edit words ("moved", "renamed"…), () if none

COLUMNS = ("Event / group / story", "Stories", "Date", "Source", "Relation", "Score")
NAME, SIZE, DATE, SOURCE, RELATION, SCORE = range(len(COLUMNS))
BATCH = 200  # events put into the view per fetchMore
# the roles this model answers, as plain ints, and its flags and alignment made once: a view asks for
# about seven roles per cell at every paint, and making Qt's enums anew was a third of that time
DISPLAY, TOOLTIP, FONT, ALIGNMENT = (int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                                      Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole))
ANSWERED = frozenset({DISPLAY, TOOLTIP, FONT, ALIGNMENT, KIND_ROLE, ID_ROLE, SORT_ROLE, EDITED_ROLE})
FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


Index = QModelIndex | QPersistentModelIndex  # what Qt passes to a model's overrides


class _Node:
    __slots__ = ("kind", "payload", "parent", "row", "children", "cells")

    def __init__(self, kind: str, payload, parent: _Node | None, row: int) -> None:
        self.kind, self.payload, self.parent, self.row = kind, payload, parent, row
        self.children: list[_Node] | None = None  # made on first ask
        self.cells: list[tuple] | None = None  # (shown, sort key) per column, made on first ask


class ResultTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.result: ScanResult | None = None
        self.index_: StoryIndex | None = None
        self.search: SearchIndex | None = None
        self._events: list[Event] = []  # the events shown, filtered and sorted; the first len(_roots) are in
        self._roots: list[_Node] = []
        self._by_id: dict[tuple[str, object], _Node] = {}
        self._matches: np.ndarray | None = None  # the stories the filter keeps, a mask; None: no filter
        self._label_matches: set[int] = set()  # events whose label the filter matches (all their rows shown)
        self._needle = ""  # the filter, as last set
        self._sort = (DATE, Qt.SortOrder.AscendingOrder)
        self._sorted: dict[tuple, list[Event]] = {}  # every event of the result in each order asked for

    def set_result(self, result: ScanResult | None, lookups: StoryIndex | None = None) -> None:
        """Show ``result``; ``lookups`` are its StoryIndex when a worker made them already."""
        self.beginResetModel()
        self.result = result
        self._sorted = {}
        if result is None:
            self.index_ = None
        else:
            self.index_ = lookups if lookups is not None and lookups.result is result else StoryIndex(result)
        if self.search is not None and (result is None or self.search.result.stories != result.stories):
            self.search = None
        self._refill()
        self.endResetModel()

    @property
    def lookups(self) -> StoryIndex:
        """The shown result's lookups (only asked for while a result is shown)."""
        assert self.index_ is not None
        return self.index_

    def set_search(self, search: SearchIndex | None) -> None:
        """The word index the filter uses once it is made (until then it searches no text); a filter
        typed meanwhile is run again through it."""
        fits = search is not None and self.result is not None and search.result.stories == self.result.stories
        self.search = search if fits else None
        if self.search is not None and self._needle:
            self.set_filter(self._needle)

    def searches_text(self) -> bool:
        """Whether the filter searches the stories' text yet (the word index has arrived)."""
        return self.search is not None

    def set_filter(self, text: str) -> None:
        """Keep the stories whose title, source, file name, text or event label hold ``text`` (any case;
        several words: all of them). One letter keeps everything: it would keep almost every story."""
        needle = self._needle = text.strip().lower()
        self.beginResetModel()
        if len(needle) > 1 and self.index_ is not None:
            self._matches, self._label_matches = self.lookups.matching(needle, self.search)
        else:
            self._matches, self._label_matches = None, set()
        self._refill()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or column >= len(COLUMNS):
            return
        self.beginResetModel()
        self._sort = (column, order)
        self._refill()
        self.endResetModel()

    def shown_events(self) -> int:
        """How many events the filter keeps (fetched into the view or not)."""
        return len(self._events)

    def _refill(self) -> None:
        """The events the filter keeps, in the order asked for: the result's events are sorted once per
        order and a keystroke only picks from that list (sorting 17,000 events per keystroke was most of
        a filter's time at 50,000 stories)."""
        self._roots, self._by_id = [], {}
        if self.result is None:
            self._events = []
            return
        column, order = self._sort
        ordered = self._sorted.get(self._sort)
        if ordered is None:
            key = (lambda e: date_key(e.start)) if column == DATE else (lambda e: self._event_key(e, column))
            ordered = self._sorted[self._sort] = sorted(self.result.events, key=key,
                                                        reverse=order == Qt.SortOrder.DescendingOrder)
        if self._matches is None:
            self._events = ordered  # never changed in place: the sorted list itself, not a copy
        else:
            kept = self.lookups.events_with(self._matches) | self._label_matches
            self._events = [e for e in ordered if e.event_id in kept]
        self._put(min(len(self._events), BATCH))  # the first batch at once: a small result is all there

    def _put(self, upto: int) -> None:
        for row in range(len(self._roots), upto):
            node = _Node("event", self._events[row], None, row)
            self._roots.append(node)
            self._by_id["event", node.payload.event_id] = node

    # -- lazy rows ----------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self._roots) < len(self._events)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 - Qt API
        if parent.isValid():
            return
        self._fetch(min(len(self._events), len(self._roots) + BATCH))

    def _fetch(self, upto: int) -> None:
        start = len(self._roots)
        if upto <= start:
            return
        self.beginInsertRows(QModelIndex(), start, upto - 1)
        self._put(upto)
        self.endInsertRows()

    def _children(self, node: _Node) -> list[_Node]:
        if node.children is None:
            node.children = self._make_children(node)
        return node.children

    def _make_children(self, node: _Node) -> list[_Node]:
        idx = self.lookups
        if node.kind == "group":
            out = [_Node("story", sid, node, r) for r, sid in enumerate(node.payload.members)]
        elif node.kind == "story":
            return []
        else:
            event: Event = node.payload
            matches, row_of = self._matches, idx.row_of
            keep_all = matches is None or event.event_id in self._label_matches
            groups, seen = [], set()
            for sid in event.story_ids:
                g = idx.group_of[sid]
                kept = keep_all or (matches is not None and any(matches[row_of[m]] for m in g.members))
                if g.group_id in seen or not kept:
                    continue
                seen.add(g.group_id)
                groups.append(g)
            out = [_Node("group", g, node, r) if len(g.members) > 1 else _Node("story", g.members[0], node, r)
                   for r, g in enumerate(groups)]
        column, order = self._sort
        out.sort(key=lambda n: self._cells(n)[column][1], reverse=order == Qt.SortOrder.DescendingOrder)
        for r, child in enumerate(out):
            child.row = r
            self._by_id[child.kind, child.payload if child.kind == "story" else child.payload.group_id] = child
        return out

    # -- structure ----------------------------------------------------------------------------------
    def _node(self, index: Index) -> _Node | None:
        return index.internalPointer() if index.isValid() else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0 or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        pnode = self._node(parent)
        siblings = self._roots if pnode is None else self._children(pnode)
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(self._roots) if node is None else len(self._children(node))

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt API
        node = self._node(parent)
        if node is None:
            return bool(self._events)
        return parent.column() == 0 and node.kind != "story"  # an event or group always holds a row

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    # -- data ---------------------------------------------------------------------------------------
    def data(self, index: Index, role: int = DISPLAY):
        if role not in ANSWERED:
            return None
        node = self._node(index)
        if node is None or self.result is None:
            return None
        if role == DISPLAY:
            return self._cells(node)[index.column()][0]
        if role == KIND_ROLE:
            return node.kind
        if role == ID_ROLE:
            p = node.payload
            return p.event_id if node.kind == "event" else p.group_id if node.kind == "group" else p
        if role == SORT_ROLE:
            return self._cells(node)[index.column()][1]
        if role == ALIGNMENT:
            return RIGHT if index.column() in (SIZE, SCORE) else None
        if role == TOOLTIP:
            words = self._edits_of(node)
            tip = self.lookups.tooltip(node.kind, node.payload)
            return f"{tip}\n{edited_words(words)}" if words else tip
        if role in (FONT, EDITED_ROLE):
            words = self._edits_of(node)
            if role == EDITED_ROLE:
                return words
            if words:
                font = QFont()
                font.setItalic(True)
                return font
        return None

    def _cells(self, node: _Node) -> list[tuple]:
        if node.cells is None:
            node.cells = (self._event_cells_of(node.payload) if node.kind == "event"
                          else self._group_cells(node.payload) if node.kind == "group"
                          else self._story_cells(node.payload))
        return node.cells

    def _edits_of(self, node: _Node) -> tuple[str, ...]:
        """The edit words of a story the user's decisions changed; for an event or group, of its stories."""
        edits = self.lookups.result.edits or {}
        if not edits:
            return ()
        if node.kind == "story":
            return tuple(edits.get(node.payload, ()))
        ids = node.payload.story_ids if node.kind == "event" else node.payload.members
        return tuple(sorted({w for sid in ids for w in edits.get(sid, ())}))

    def _event_key(self, e: Event, column: int):
        """An event's sort key in ``column``, without making its cells (sorting sees every event)."""
        if column == NAME:
            return e.label.lower()
        if column == SIZE:
            return len(e.story_ids)
        if column == DATE:
            return date_key(e.start)
        return self.lookups.copy_groups_in(e) if column == RELATION else 0

    def _event_cells_of(self, e: Event) -> list[tuple]:
        when = date_range_label(e.start, e.end) or "undated"
        n = len(e.story_ids)
        copies = self.lookups.copy_groups_in(e)
        return [(e.label or "(no label)", e.label.lower()), (count(n, "story", "stories"), n),
                (when, date_key(e.start)), ("", ""),
                (count(copies, "copy group", "copy groups") if copies else "", copies), ("", 0.0)]

    def _group_cells(self, g: DuplicateGroup) -> list[tuple]:
        story = self.lookups.result.story(g.canonical)
        n = len(g.members)
        title = story.title or g.canonical
        return [(title, title.lower()), (f"{n} copies", n), (day(story.published), date_key(story.published)),
                (story.source, story.source.lower()), ("", ""), ("", 0.0)]

    def _story_cells(self, sid: str) -> list[tuple]:
        story = self.lookups.result.story(sid)
        relation, score = self.lookups.relation_of(sid)
        title = story.title or sid
        return [(title, title.lower()), (f"{story.words} words", story.words),
                (day(story.published), date_key(story.published)), (story.source, story.source.lower()),
                (relation, relation), (f"{score:.2f}" if score else "", score or 0.0)]

    # -- lookups for the window ---------------------------------------------------------------------
    def index_of(self, kind: str, ident) -> QModelIndex:
        """The index of the event, group or story with this id (story ids are strings); invalid when the
        filter hides it. Rows not in the view yet are fetched first."""
        if self.result is None:
            return QModelIndex()
        if (kind, ident) not in self._by_id:
            event = self.lookups.event_holding(kind, ident)
            row = next((r for r, e in enumerate(self._events) if e is event), None)
            if row is None:
                return QModelIndex()
            self._fetch(row + 1)
            for child in self._children(self._roots[row]):
                if child.kind == "group":
                    self._children(child)
        found = self._by_id.get((kind, ident))
        return QModelIndex() if found is None else self.createIndex(found.row, 0, found)

    def event_of(self, kind: str, ident) -> Event | None:
        """The event that holds this event, group or story."""
        return None if self.result is None else self.lookups.event_holding(kind, ident)

    def first_story(self, kind: str, ident) -> str | None:
        """The story to read for a row: a story itself, a group's likely original, an event's first."""
        if self.result is None:
            return None
        if kind == "story":
            return ident
        if kind == "group":
            return self.lookups.groups[ident].canonical
        event = self.lookups.event_holding(kind, ident)
        return event.story_ids[0] if event is not None and event.story_ids else None


class ResultFilterProxy(QIdentityProxyModel):
    """What the tree views: the model's own filtering and sorting, passed on (the proxy keeps the
    window's and tests' mapping API; a QSortFilterProxyModel would call Python per row and comparison)."""

    def setFilterFixedString(self, text: str) -> None:  # noqa: N802 - QSortFilterProxyModel's name
        model = self.sourceModel()
        assert isinstance(model, ResultTreeModel)
        model.set_filter(text)
