"""The window's two pages: the invitation to drop folders (and a first scan's progress), and the results.

Each page is a widget that owns its parts as attributes; the window wires their signals to itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from newsdedup.gui.document_view import DocumentView
from newsdedup.gui.folders import FolderList
from newsdedup.gui.models import COLUMNS, DATE, NAME, ResultFilterProxy, ResultTreeModel
from newsdedup.gui.pair_view import PairView
from newsdedup.gui.thresholds import ThresholdsPanel
from newsdedup.gui.timeline import Timeline
from newsdedup.model import ScanResult
from newsdedup.sample import sample_folder

INVITE = ("Drop folders of news articles anywhere on this window\n"
          "(or use File › Add Folder) to find copies, page furniture,\n"
          "stories about the same event and shared passages.")


class InvitePage(QWidget):
    """What an empty window shows: where to drop folders, the sample one click away; while the first
    scan runs, its progress in the middle of the window."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, objectName="invitePage")
        self.invite = QLabel(INVITE, objectName="invite")
        self.invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.invite.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.invite.setFont(font)
        self.sample_button = QPushButton("Open the sample articles", objectName="openSample")
        self.sample_button.setAccessibleName("Open the sample articles")
        self.sample_button.setEnabled(sample_folder() is not None)
        self.progress = QProgressBar(objectName="firstScanProgress")
        self.progress.setAccessibleName("Progress of the first scan")
        self.progress.setMinimumWidth(420)
        self.progress.setFormat("%v of %m")
        self.progress.hide()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.invite)
        layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)

    def scanning(self, words: str | None) -> None:
        """Show a first scan's progress (``words`` says what runs), or the invitation again (None)."""
        self.invite.setText(words or INVITE)
        self.sample_button.setVisible(words is None)
        self.progress.setVisible(words is not None)

    def step(self, stage: str, done: int, total: int) -> None:
        self.invite.setText(stage)
        self.progress.setRange(0, max(total, 0))
        self.progress.setFormat("%v of %m" if total else "")
        self.progress.setValue(done)


class ResultsPage(QSplitter):
    """The timeline above; the filter, the tree and the side panel (thresholds, folders) on the left;
    the story and pair views on the right."""

    filterChanged = Signal(str)  # noqa: N815 - the filter text, once the typing pauses

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent, objectName="pageSplitter")
        self.model = ResultTreeModel(self)
        self.proxy = ResultFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = QLineEdit(objectName="filterBox",
                                    placeholderText="Filter: words of titles, labels, sources, file names, text")
        self.filter_box.setAccessibleName("Filter events and stories")
        self.filter_box.setClearButtonEnabled(True)
        self._typing = QTimer(self, singleShot=True, interval=200)  # refilter once the typing pauses
        self._typing.timeout.connect(lambda: self.filterChanged.emit(self.filter_box.text()))
        self.filter_box.textChanged.connect(self._typing.start)
        self.no_matches = QLabel("No matches: no title, label, source, file name or text has these words.",
                                 objectName="noMatches")
        self.no_matches.setWordWrap(True)
        self.no_matches.hide()
        self.tree = QTreeView(objectName="eventTree")
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
        self.tabs = QTabWidget(objectName="viewTabs")
        self.tabs.addTab(self.document_view, "Story")
        self.tabs.addTab(self.pair_view, "Side by side")
        self.side = QTabWidget(objectName="sidePanel")
        self.side.addTab(self.thresholds, "Thresholds")
        self.side.addTab(self.folders, "Folders")
        self.side_toggle = QToolButton(objectName="toggleSidePanel", checkable=True, checked=True)
        self.side_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.side_toggle.setAccessibleName("Show or hide the thresholds and folders")
        self.side_toggle.toggled.connect(self.show_side)
        self.show_side(True)
        self._assemble()

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
        self.left_splitter = QSplitter(Qt.Orientation.Vertical, objectName="leftSplitter")
        self.left_splitter.addWidget(left)
        self.left_splitter.addWidget(self.side)
        self.left_splitter.setStretchFactor(0, 1)
        self.left_splitter.setCollapsible(0, False)
        self.left_splitter.setSizes([600, 340])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.tabs)
        self.main_splitter.setStretchFactor(0, 11)  # the tree a little wider than the story: titles need it
        self.main_splitter.setStretchFactor(1, 9)
        self.main_splitter.setSizes([1100, 900])
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
        self.no_matches.setVisible(not any_shown and bool(self.filter_box.text().strip()))


def size_columns(tree: QTreeView) -> None:
    """Titles take the room left; the other columns get widths from the font, once: measuring every
    row's contents again on each expand made showing a result of thousands of stories take minutes."""
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    # compact: the titles are what an editor reads; a long outlet is elided and shown whole on hover
    widest = ("", "999 stories", "30 Sep 2026", "Reuters", "near-duplicate", "0.00")
    fm = tree.fontMetrics()
    for column in range(1, len(COLUMNS)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, fm.horizontalAdvance(widest[column]) + 14)


def summary(result: ScanResult) -> str:
    copies = sum(1 for g in result.groups if len(g.members) > 1)
    reuse = sum(1 for r in result.relations if r.kind == "partial_reuse")
    return "  ·  ".join((f"{count(len(result.stories), 'story', 'stories')} in "
                         f"{count(len(result.documents), 'document')}",
                         count(len(result.events), "event"), count(copies, "group of copies", "groups of copies"),
                         count(reuse, "partial reuse"), count(len(result.problems), "problem")))


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun in its number: "1 story", "2 stories", "1 partial reuse"."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"
