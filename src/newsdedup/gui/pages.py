"""The window's two pages: the invitation to drop folders, and the results (tree, timeline, views).

Each function builds its page's widgets onto the window (as attributes the window and tests use) and
returns the page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from newsdedup.gui.document_view import DocumentView
from newsdedup.gui.models import COLUMNS, DATE, NAME, ResultFilterProxy, ResultTreeModel
from newsdedup.gui.pair_view import PairView
from newsdedup.gui.thresholds import ThresholdsPanel
from newsdedup.gui.timeline import Timeline
from newsdedup.model import ScanResult
from newsdedup.sample import sample_folder


def invite_page(window) -> QWidget:
    """What an empty window shows: where to drop folders, and the sample one click away."""
    page = QWidget(objectName="invitePage")
    layout = QVBoxLayout(page)
    window.invite = QLabel("Drop folders of news articles anywhere on this window\n"
                           "(or use File › Add Folder) to find copies, page furniture,\n"
                           "stories about the same event and shared passages.", objectName="invite")
    window.invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = window.invite.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    window.invite.setFont(font)
    window.sample_button = QPushButton("Open the sample articles", objectName="openSample")
    window.sample_button.setAccessibleName("Open the sample articles")
    window.sample_button.clicked.connect(window.open_sample)
    window.sample_button.setEnabled(sample_folder() is not None)
    layout.addStretch(1)
    layout.addWidget(window.invite)
    layout.addWidget(window.sample_button, 0, Qt.AlignmentFlag.AlignCenter)
    layout.addStretch(1)
    return page


def results_page(window) -> QWidget:
    """The tree with its filter and thresholds, the timeline above, the story and pair views beside."""
    window.model = ResultTreeModel(window)
    window.proxy = ResultFilterProxy(window)
    window.proxy.setSourceModel(window.model)
    window.filter_box = QLineEdit(objectName="filterBox", placeholderText="Filter: words of labels, titles, sources")
    window.filter_box.setAccessibleName("Filter events and stories")
    window.filter_box.setClearButtonEnabled(True)
    window.filter_box.textChanged.connect(window.filter_tree)
    window.tree = QTreeView(objectName="eventTree")
    window.tree.setAccessibleName("Events, duplicate groups and stories")
    window.tree.setModel(window.proxy)
    window.tree.setSortingEnabled(True)
    window.tree.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
    window.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    window.tree.setUniformRowHeights(True)
    window.tree.selectionModel().currentChanged.connect(window.on_tree_current)
    size_columns(window.tree)
    window.thresholds = ThresholdsPanel()
    window.thresholds.changed.connect(window.regroup)
    window.timeline = Timeline()
    window.timeline.eventClicked.connect(lambda eid: window.select("event", eid))
    window.document_view = DocumentView()
    window.document_view.pairRequested.connect(window.show_pair)
    window.pair_view = PairView()
    window.tabs = QTabWidget(objectName="viewTabs")
    window.tabs.addTab(window.document_view, "Story")
    window.tabs.addTab(window.pair_view, "Side by side")
    left = QWidget()
    ll = QVBoxLayout(left)
    ll.setContentsMargins(0, 0, 0, 0)
    ll.addWidget(window.filter_box)
    ll.addWidget(window.tree, 1)
    window.left_splitter = QSplitter(Qt.Orientation.Vertical, objectName="leftSplitter")
    window.left_splitter.addWidget(left)
    window.left_splitter.addWidget(window.thresholds)
    window.left_splitter.setStretchFactor(0, 3)
    window.main_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
    window.main_splitter.addWidget(window.left_splitter)
    window.main_splitter.addWidget(window.tabs)
    window.main_splitter.setSizes([660, 780])
    window.page_splitter = QSplitter(Qt.Orientation.Vertical, objectName="pageSplitter")
    window.page_splitter.addWidget(window.timeline)
    window.page_splitter.addWidget(window.main_splitter)
    window.page_splitter.setStretchFactor(1, 1)
    window.page_splitter.setSizes([150, 670])
    return window.page_splitter



def size_columns(tree: QTreeView) -> None:
    """Titles take the room left; the other columns get widths from the font, once: measuring every
    row's contents again on each expand made showing a result of thousands of stories take minutes."""
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
    # compact: the titles are what an editor reads; a long date range or outlet is elided
    widest = ("", "999 stories", "30 Sep 2026", "Reuters", "copy with changes", "Jaccard 0.00")
    fm = tree.fontMetrics()
    for column in range(1, len(COLUMNS)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, fm.horizontalAdvance(widest[column]) + 16)


def summary(result: ScanResult) -> str:
    copies = sum(1 for g in result.groups if len(g.members) > 1)
    reuse = sum(1 for r in result.relations if r.kind == "partial_reuse")
    return "  ·  ".join((f"{_count(len(result.stories), 'story', 'stories')} in "
                         f"{_count(len(result.documents), 'document')}",
                         _count(len(result.events), "event"), _count(copies, "group of copies", "groups of copies"),
                         _count(reuse, "partial reuse"), _count(len(result.problems), "problem")))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"
