"""The main window: drop folders, watch the scan, see what it found."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import ScanResult
from ..sample import sample_folder
from .worker import release, start_scan


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("newsdedup")
        self.setAcceptDrops(True)
        self.resize(1100, 720)
        self.result: ScanResult | None = None
        self.paths: list[Path] = []
        self._scans: dict[int, tuple] = {}  # scan id -> (thread, worker), until its last signal
        self._current = 0  # the scan whose result the window will show
        self._next_id = 1

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.invite = QLabel("Drop folders of news articles here, or use File › Add Folder.", central)
        self.invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sample_button = QPushButton("Open the sample articles", central)
        self.sample_button.setObjectName("openSample")
        self.sample_button.clicked.connect(self.open_sample)
        self.sample_button.setEnabled(sample_folder() is not None)
        self.tree = QTreeWidget(central)
        self.tree.setObjectName("eventTree")
        self.tree.setAccessibleName("Events, duplicate groups and stories")
        self.tree.setHeaderLabels(["Event / story", "Source", "Date", "Relation"])
        layout.addWidget(self.invite)
        layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.tree, 1)
        self.setCentralWidget(central)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("scanProgress")
        self.progress.setAccessibleName("Scan progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelScan")
        self.cancel_button.setAccessibleName("Cancel scan")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_scan)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

        menu = self.menuBar().addMenu("&File")
        self.action_add = QAction("&Add Folder…", self)
        self.action_add.setObjectName("actionAddFolder")
        self.action_add.setShortcut(QKeySequence.StandardKey.Open)
        self.action_add.triggered.connect(self.choose_folder)
        menu.addAction(self.action_add)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    # -- starting scans -------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of articles")
        if folder:
            self.add_paths([Path(folder)])

    def open_sample(self) -> None:
        folder = sample_folder()
        if folder is not None:
            self.add_paths([folder])

    def add_paths(self, paths: list[Path]) -> None:
        usable = [Path(p) for p in paths if Path(p).exists()]
        if not usable:
            QMessageBox.warning(self, "newsdedup", "Nothing to scan: drop folders or article files.")
            return
        for p in usable:
            if p not in self.paths:
                self.paths.append(p)
        self.start_scan()

    def start_scan(self) -> None:
        self.cancel_scan()  # a newer scan replaces a running one
        scan_id, self._next_id = self._next_id, self._next_id + 1
        thread, worker = start_scan(scan_id, list(self.paths))
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._scans[scan_id] = (thread, worker)
        self._current = scan_id
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)

    def cancel_scan(self) -> None:
        if self._current in self._scans:
            self._scans[self._current][1].cancel()

    def is_scanning(self) -> bool:
        return self._current in self._scans

    # -- worker signals -------------------------------------------------------------------------
    def _on_progress(self, scan_id: int, stage: str, done: int, total: int) -> None:
        if scan_id != self._current:
            return
        self.progress.setFormat(f"{stage} %v/%m" if total else stage)
        self.progress.setMaximum(max(total, 0))
        self.progress.setValue(done)

    def _scan_ended(self, scan_id: int) -> bool:
        """Release the scan's thread; True when it is the scan the window is showing progress for."""
        thread, _worker = self._scans.pop(scan_id)
        release(thread)
        if scan_id != self._current:
            return False
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        return True

    def _on_finished(self, scan_id: int, result: ScanResult) -> None:
        if self._scan_ended(scan_id):
            self.show_result(result)

    def _on_cancelled(self, scan_id: int) -> None:
        if self._scan_ended(scan_id):
            self.statusBar().showMessage("Scan cancelled; the previous result is kept.", 5000)

    def _on_failed(self, scan_id: int, message: str) -> None:
        if self._scan_ended(scan_id):
            QMessageBox.critical(self, "Scan failed", message)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        for thread, worker in list(self._scans.values()):
            worker.cancel()
            release(thread)
        self._scans.clear()
        super().closeEvent(event)

    def show_result(self, result: ScanResult) -> None:
        self.result = result
        self.invite.setVisible(False)
        self.sample_button.setVisible(False)
        self.tree.clear()
        group_of = {sid: g for g in result.groups for sid in g.members}
        for event in result.events:
            item = QTreeWidgetItem([event.label, "", "", f"{len(event.story_ids)} stories"])
            for sid in event.story_ids:
                story = result.story(sid)
                group = group_of[sid]
                relation = "" if sid == group.canonical else group.score_of(sid)[0]
                item.addChild(QTreeWidgetItem([story.title or sid, story.source,
                                               story.published.isoformat() if story.published else "", relation]))
            self.tree.addTopLevelItem(item)
        self.tree.expandAll()
        self.statusBar().showMessage(
            f"{len(result.stories)} stories, {len(result.events)} events, {len(result.problems)} problems", 0)

    # -- drag and drop --------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.add_paths(paths)
