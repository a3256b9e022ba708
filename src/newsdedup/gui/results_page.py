"""The results page: the timeline above; the filter, the tree and the side panel (thresholds, folders) on
the left; the story and pair views on the right. It routes selections between them: a row picked in the
tree shows its story, a double-click its pair, a mark picked on the timeline its event.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from newsdedup.gui.actions import named
from newsdedup.gui.document_view import DocumentView
from newsdedup.gui.folders import FolderList
from newsdedup.gui.models import COLUMNS, DATE, ID_ROLE, KIND_ROLE, NAME, ResultFilterProxy, ResultTreeModel
from newsdedup.gui.pair_view import PairView
from newsdedup.gui.story_index import StoryIndex
from newsdedup.gui.thresholds import ThresholdsPanel
from newsdedup.gui.timeline import Timeline
from newsdedup.gui.timeline_layout import TimelineData
from newsdedup.model import ScanResult

OPEN_ROWS = 300  # stories the tree shows opened at once, at most (the rest: open an event to see them)
OPEN_BUDGET = 0.01  # seconds of opening events per turn of the event loop (20 at a time took 80 ms)
NO_MATCHES = "No matches: no title, label, source, file name or text has these words."


class ResultsPage(QSplitter):

    filterChanged = Signal(str)  # noqa: N815 - the filter text, once the typing pauses

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("pageSplitter")
        self.model = ResultTreeModel(self)
        self.proxy = ResultFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = named(QLineEdit(), "filterBox")
        self.filter_box.setPlaceholderText("Filter: words of titles, labels, sources, file names, text")
        self.filter_box.setAccessibleName("Filter events and stories")
        self.filter_box.setClearButtonEnabled(True)
        self._typing = QTimer(self, singleShot=True, interval=200)  # refilter once the typing pauses
        self._typing.timeout.connect(lambda: self.filterChanged.emit(self.filter_box.text()))
        self.filter_box.textChanged.connect(self._typing.start)
        self.no_matches = named(QLabel(NO_MATCHES), "noMatches")
        self.no_matches.setWordWrap(True)
        self.no_matches.hide()
        self.tree = named(QTreeView(), "eventTree")
        self.tree.setAccessibleName("Events, duplicate groups and stories")
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setExpandsOnDoubleClick(False)  # a double-click opens the story or its pair
        size_columns(self.tree)
        self.thresholds = ThresholdsPanel()
        self.folders = FolderList()
        self.timeline = Timeline()
        self.document_view = DocumentView()
        self.pair_view = PairView()
        self.tabs = named(QTabWidget(), "viewTabs")
        self.tabs.addTab(self.document_view, "Story")
        self.tabs.addTab(self.pair_view, "Side by side")
        self.side = named(QTabWidget(), "sidePanel")
        self.side.addTab(self.thresholds, "Thresholds")
        self.side.addTab(self.folders, "Folders")
        self.side_toggle = named(QToolButton(), "toggleSidePanel")
        self.side_toggle.setCheckable(True)
        self.side_toggle.setChecked(True)
        self.side_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.side_toggle.setAccessibleName("Show or hide the thresholds and folders")
        self.side_toggle.toggled.connect(self.show_side)
        self.show_side(True)
        self._assemble()
        self._open_rows = 0
        self._to_open: list[QPersistentModelIndex] = []
        self._opening = QTimer(self, singleShot=True, interval=0)
        self._opening.timeout.connect(self._open_some)
        self._timeline_events: tuple = ((), None)  # the events the timeline is to show, and their data
        self._filling_timeline = QTimer(self, singleShot=True, interval=0)
        self._filling_timeline.timeout.connect(self._fill_timeline)
        self.filterChanged.connect(self.filter_tree)
        self.tree.selectionModel().currentChanged.connect(self.on_tree_current)
        self.tree.doubleClicked.connect(self.open_row)
        self.proxy.rowsInserted.connect(self._expand_new)
        self.proxy.modelReset.connect(lambda: self._expand_new(QModelIndex(), 0, self.proxy.rowCount() - 1))
        self.timeline.eventClicked.connect(lambda eid: self.select("event", eid))
        self.document_view.pairRequested.connect(self.show_pair)

    def _assemble(self) -> None:
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.filter_box)
        ll.addWidget(self.no_matches)
        ll.addWidget(self.tree, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.side_toggle)
        bar.addStretch(1)
        ll.addLayout(bar)
        self.left_splitter = named(QSplitter(Qt.Orientation.Vertical), "leftSplitter")
        self.left_splitter.addWidget(left)
        self.left_splitter.addWidget(self.side)
        self.left_splitter.setStretchFactor(0, 1)
        self.left_splitter.setCollapsible(0, False)
        self.left_splitter.setSizes([700, 300])  # the tree first: the thresholds need little height
        self.main_splitter = named(QSplitter(Qt.Orientation.Horizontal), "mainSplitter")
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.tabs)
        self.main_splitter.setSizes([1100, 900])  # the tree a little wider than the story: titles need it
        self.addWidget(self.timeline)
        self.addWidget(self.main_splitter)
        self.setStretchFactor(1, 1)
        self.setSizes([150, 670])

    def show_side(self, shown: bool) -> None:
        """Fold the thresholds and folders away, so the tree gets the height, or show them."""
        self.side.setVisible(shown)
        self.side_toggle.setText("▾ Thresholds and folders" if shown else "▸ Thresholds and folders")
        self.side_toggle.setChecked(shown)

    def splitters(self) -> list[QSplitter]:
        return [self, self.main_splitter, self.left_splitter, self.document_view.splitter, self.pair_view.splitter]

    def show_matches(self, any_shown: bool) -> None:
        filtering = bool(self.filter_box.text().strip())
        if filtering and not self.model.searches_text():
            self.no_matches.setText(("" if any_shown else "No matches yet. ") + "Searching titles, sources and "
                                    "file names; the texts are searched as soon as their words are read.")
            self.no_matches.setVisible(True)
            return
        self.no_matches.setText(NO_MATCHES)
        self.no_matches.setVisible(not any_shown and filtering)

    def show_result(self, result: ScanResult, lookups: StoryIndex | None = None,
                    timeline: TimelineData | None = None) -> None:
        """Show a new result, keeping the story and the pair being read where they still exist."""
        story, a, b = self.document_view.story, self.pair_view.a, self.pair_view.b
        shown = story.story_id if story is not None else None
        pair = (a.story_id, b.story_id) if a is not None and b is not None else None
        self.model.set_result(result, lookups)
        self.show_matches(self.model.shown_events() > 0)
        # the timeline one turn of the event loop later: the page and the tree paint first, on their own
        self._timeline_events = (result.events, timeline)
        self._filling_timeline.start()
        ids = self.model.lookups.event_of_story  # every story of the result, by id
        if shown in ids:
            self.select("story", shown)
        if pair and all(p in ids for p in pair):
            self.pair_view.show_pair(result, *pair)

    def _fill_timeline(self) -> None:
        self.timeline.set_events(*self._timeline_events)
        self.timeline.select(self.timeline.selected)  # a row selected meanwhile: its mark in view

    def select(self, kind: str, ident) -> None:
        """Select an event, group or story in the tree (clearing a filter that hides it)."""
        source = self.model.index_of(kind, ident)
        if not source.isValid() and self.filter_box.text():
            self.filter_box.clear()
            self.filter_tree("")
            source = self.model.index_of(kind, ident)
        index = self.proxy.mapFromSource(source)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)

    def on_tree_current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if not index.isValid() or self.model.result is None:
            return
        kind, ident = index.data(KIND_ROLE), index.data(ID_ROLE)
        story = self.model.first_story(kind, ident)
        event = self.model.event_of(kind, ident)
        self.timeline.select(event.event_id if event is not None else None)
        if story is None:
            return
        shown = self.document_view
        if shown.story is None or shown.result is not self.model.result or shown.story.story_id != story:
            self.document_view.show_story(self.model.result, story)
        self.tabs.setCurrentWidget(self.document_view)

    def open_row(self, index: QModelIndex) -> None:
        """Double-click: a story or group with a partner opens side by side with it (as the README says);
        an event opens or closes."""
        kind, ident = index.data(KIND_ROLE), index.data(ID_ROLE)
        story = self.model.first_story(kind, ident)
        other = self.model.lookups.other_of_pair(story) if story is not None and kind != "event" else None
        if story is not None and other is not None:
            self.show_pair(*self._ordered(story, other))
        elif kind == "event":
            self.tree.setExpanded(index, not self.tree.isExpanded(index))
        elif story is not None:
            self.document_view.show_story(self.model.lookups.result, story)
            self.tabs.setCurrentWidget(self.document_view)

    def _ordered(self, a: str, b: str) -> tuple[str, str]:
        """The likely original (or the source) on the left."""
        index = self.model.lookups
        group = index.group_of[a]
        if group.canonical == b or any(s == b for s, _c in index.built_on.get(a, ())):
            return b, a
        return a, b

    def show_pair(self, a: str, b: str) -> None:
        self.pair_view.show_pair(self.model.lookups.result, a, b)
        self.tabs.setCurrentWidget(self.pair_view)

    def filter_tree(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.show_matches(self.model.shown_events() > 0)

    def _expand_new(self, parent: QModelIndex, first: int, last: int) -> None:
        """Open events as they reach the view, and the groups of copies in them, while they hold few
        stories in all: the tree lays out every open row, so a big result shows its events closed."""
        if parent.isValid():
            return
        if first == 0:
            self._open_rows, self._to_open = 0, []
        self._to_open += [QPersistentModelIndex(self.proxy.index(r, 0)) for r in range(first, last + 1)]
        self._opening.start()

    def _open_some(self) -> None:
        """Open a few of the queued events, then let the event loop breathe before the next few."""
        proxy, model = self.proxy, self.model
        began = time.perf_counter()
        while self._to_open and time.perf_counter() - began < OPEN_BUDGET:
            kept = self._to_open.pop(0)
            event = proxy.index(kept.row(), 0)  # still the row it was: the model was not reset meanwhile
            shown = model.event_of("event", event.data(ID_ROLE)) if kept.isValid() else None
            if shown is None:
                continue
            size = len(shown.story_ids)
            if self._open_rows + size > OPEN_ROWS:
                self._to_open = []
                return
            self._open_rows += size
            self.tree.expand(event)
            for g in range(proxy.rowCount(event)):
                group = proxy.index(g, 0, event)
                if group.data(KIND_ROLE) == "group":
                    self.tree.expand(group)
        if self._to_open:
            self._opening.start()


def size_columns(tree: QTreeView) -> None:
    """Titles take the room left; the other columns get widths from the font, once: measuring every
    row's contents again on each expand made showing a result of thousands of stories take minutes."""
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    # compact: the titles are what an editor reads; a long outlet is elided and shown whole on hover
    widest = ("", "999 stories", "30 Sep 2026", "Reuters", "copy with changes", "0.00")
    fm = tree.fontMetrics()
    for column in range(1, len(COLUMNS)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, fm.horizontalAdvance(widest[column]) + 14)
