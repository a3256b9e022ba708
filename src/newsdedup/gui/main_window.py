"""The main window: drop folders, watch the scan, browse events and duplicates, read overlaps, export.

The window assembles the views and routes selections between them; scans and regroups run through
``Jobs`` on worker threads, and what the window remembers lives in ``preferences``.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings
from newsdedup.gui import context_menus, preferences
from newsdedup.gui.export_actions import add_report_action, export_csv
from newsdedup.gui.jobs import Jobs
from newsdedup.gui.models import ID_ROLE, KIND_ROLE
from newsdedup.gui.pages import invite_page, results_page, summary
from newsdedup.gui.plain_text import menu_text, message_text
from newsdedup.gui.problems import ProblemsPanel
from newsdedup.gui.worker import JOB_WORDS
from newsdedup.gui.workspace_session import WorkspaceSession
from newsdedup.ingest.files import READABLE
from newsdedup.model import ScanResult
from newsdedup.pipeline import run_scan
from newsdedup.regroup import Similarities, regroup, similarities
from newsdedup.sample import sample_folder
from newsdedup.settings import Settings


def usable_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """What a scan can read (folders, article files) and what it cannot, from what was dropped."""
    good, bad = [], []
    for p in paths:
        (good if p.is_dir() or (p.is_file() and p.suffix.lower() in READABLE) else bad).append(p)
    return good, bad


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("newsdedup")
        self.setAcceptDrops(True)
        self.resize(1280, 820)
        self.settings = settings if settings is not None else QSettings()
        self.result: ScanResult | None = None
        self.similarities: Similarities | None = None
        self.paths: list[Path] = []
        self.scan_settings = Settings()
        self.jobs = Jobs(self)
        self.session = WorkspaceSession(self)
        self.jobs.done.connect(self._on_job_done)
        self.jobs.failed.connect(lambda kind, message: QMessageBox.critical(self, f"{JOB_WORDS[kind]} failed", message_text(message)))
        self.jobs.cancelled.connect(lambda kind: self.statusBar().showMessage(
            f"{JOB_WORDS[kind]} cancelled; the result shown before is kept.", 8000))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(invite_page(self))
        self.stack.addWidget(results_page(self))
        self.setCentralWidget(self.stack)
        self.problems = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problems.hide()
        self.statusBar().addPermanentWidget(self.jobs.stage_label)
        self.statusBar().addPermanentWidget(self.jobs.progress)
        self.statusBar().addPermanentWidget(self.jobs.cancel_button)
        self._menus()
        context_menus.install(self)
        for child in self.findChildren(QWidget):  # a drop anywhere reaches the window, not a text box
            child.setAcceptDrops(False)
        self.thresholds.set_values(*preferences.load_thresholds(self.settings))
        preferences.restore_window(self.settings, self)
        self._splitters_restored = False

    # -- building -----------------------------------------------------------------------------------
    def splitters(self) -> list[QSplitter]:
        return [self.page_splitter, self.main_splitter, self.left_splitter, self.document_view.splitter,
                self.pair_view.splitter]

    def _action(self, menu, text: str, name: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self, objectName=name)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.action_add = self._action(file_menu, "&Add Folder…", "actionAddFolder", self.choose_folder,
                                       QKeySequence.StandardKey.Open)
        self._action(file_menu, "Open the &Sample Articles", "actionOpenSample", self.open_sample)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.session.add_file_actions(file_menu)
        file_menu.addSeparator()
        self.action_export = self._action(file_menu, "Export &Cluster CSV…", "actionExportCsv",
                                          lambda: self.export("clusters"), QKeySequence("Ctrl+E"))
        self.action_export_pairs = self._action(file_menu, "Export &Pairs CSV…", "actionExportPairsCsv",
                                                lambda: self.export("pairs"))
        for a in (self.action_export, self.action_export_pairs):
            a.setEnabled(False)
        add_report_action(self, file_menu)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", "actionQuit", self.close, QKeySequence.StandardKey.Quit)
        self.session.add_edit_actions(self.menuBar().addMenu("&Edit"))
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.problems.toggleViewAction())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for folder in preferences.recent_folders(self.settings):
            self.recent_menu.addAction(menu_text(folder), lambda f=folder: self.add_paths([Path(f)]))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- starting scans -----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of articles")
        if folder:
            self.add_paths([Path(folder)])

    def open_sample(self) -> None:
        folder = sample_folder()
        if folder is not None:
            self.add_paths([folder])

    def add_paths(self, paths: list[Path]) -> None:
        """Add folders or files to the set and scan the whole set again; say what cannot be used."""
        good, bad = usable_paths([Path(p) for p in paths])
        if bad:
            names = ", ".join(p.name or str(p) for p in bad[:5]) + (" …" if len(bad) > 5 else "")
            kinds = " ".join(sorted(READABLE))
            QMessageBox.warning(self, "Cannot scan that",
                                message_text(f"newsdedup cannot read: {names}\n\n"
                                             f"Drop folders, or article files ({kinds})."))
        if not good:
            return
        self.paths += [p for p in good if p not in self.paths]
        preferences.remember_folders(self.settings, good)
        self.start_scan()

    def start_scan(self) -> None:
        duplicates, events = self._thresholds()
        settings = Settings(duplicates=duplicates, events=events, max_file_bytes=self.scan_settings.max_file_bytes,
                            today=self.scan_settings.today)
        paths = list(self.paths)
        if self.session.workspace is not None and not self.session.workspace.read_only:
            self.jobs.start("scan", self.session.scan_job(paths, settings))
        else:
            self.jobs.start("scan", lambda: run_scan(paths, settings))
        self.statusBar().showMessage(f"Scanning {len(paths)} folder(s) and file(s)…")

    def cancel_scan(self) -> None:
        self.jobs.cancel()

    def is_scanning(self) -> bool:
        """True while a scan, or the scoring and regrouping that follow it, is running."""
        return self.jobs.running()

    def _thresholds(self) -> tuple[DuplicateSettings, EventSettings]:
        return self.thresholds.values(self.scan_settings.duplicates, self.scan_settings.events)

    def _thresholds_moved(self) -> bool:
        duplicates, events = self._thresholds()
        done = self.result.settings
        return done.get("duplicates") != asdict(duplicates) or done.get("events") != asdict(events)

    def _score(self) -> None:
        """Score the shown result's similar pairs, for the histogram and for regrouping."""
        result, duplicates = self.result, self._thresholds()[0]
        self.jobs.start("score", lambda: similarities(result, duplicates))

    def regroup(self) -> None:
        """Regroup the shown result under the thresholds the controls show (nothing is reread)."""
        duplicates, events = self._thresholds()
        preferences.save_thresholds(self.settings, duplicates, events)
        if self.result is None or self.jobs.running("scan"):
            return  # a running scan uses the new thresholds when its scoring ends
        if self.similarities is None:
            if not self.jobs.running("score"):
                self._score()
            return  # scoring regroups when it ends
        result, sims = self.result, self.similarities
        self.jobs.start("regroup", lambda: regroup(result, sims, duplicates, events))

    def _on_job_done(self, kind: str, value) -> None:
        if kind == "scan":
            self.finish_scan(value)
        elif kind == "load":
            self.session.loaded(value)
        elif kind == "score":
            self.similarities = value
            self.thresholds.histogram.set_values(value.jaccards())
            if self._thresholds_moved():
                self.regroup()
        elif kind == "decisions":
            self.show_result(value)
            self.session.decided(value)
            if self.similarities is None:  # a decision replaced the scoring job: score again
                self._score()
        else:  # regrouped: the user's decisions still hold
            self.show_result(value)
            if self.session.workspace is not None and self.session.workspace.decisions():
                self.session.decisions_changed()

    def finish_scan(self, result: ScanResult) -> None:
        """Show a scan's result at once; the pair scores follow in the background."""
        self.similarities = None
        self.thresholds.histogram.set_values(np.zeros(0))
        self.show_result(result)
        line = self.session.counts_line()
        if line:
            self.statusBar().showMessage(f"{summary(result)}  ·  {line}")
        if self.session.pending:
            self.session.decisions_changed()  # scores follow the decisions
        else:
            self._score()

    # -- showing a result ---------------------------------------------------------------------------
    def show_result(self, result: ScanResult) -> None:
        shown = self.document_view.story.story_id if self.document_view.story else None
        pair = (self.pair_view.a.story_id, self.pair_view.b.story_id) if self.pair_view.a else None
        self.result = result
        self.model.set_result(result)
        self.timeline.set_events(result.events)
        self.problems.set_result(result)
        self.stack.setCurrentIndex(1)
        self._expand()
        for a in (self.action_export, self.action_export_pairs):
            a.setEnabled(True)
        ids = {s.story_id for s in result.stories}
        if shown in ids:
            self.select("story", shown)
        if pair and set(pair) <= ids:
            self.pair_view.show_pair(result, *pair)
        self.statusBar().showMessage(summary(result))

    def select(self, kind: str, ident) -> None:
        """Select an event, group or story in the tree (clearing a filter that hides it)."""
        source = self.model.index_of(kind, ident)
        index = self.proxy.mapFromSource(source)
        if source.isValid() and not index.isValid():
            self.filter_box.clear()
            index = self.proxy.mapFromSource(source)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)

    def on_tree_current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if not index.isValid() or self.result is None:
            return
        kind, ident = index.data(KIND_ROLE), index.data(ID_ROLE)
        story = self.model.first_story(kind, ident)
        event = self.model.event_of(kind, ident)
        self.timeline.select(event.event_id if event is not None else None)
        if story is None:
            return
        shown = self.document_view
        if shown.story is None or shown.result is not self.result or shown.story.story_id != story:
            self.document_view.show_story(self.result, story)
        self.tabs.setCurrentWidget(self.document_view)

    def show_pair(self, a: str, b: str) -> None:
        self.pair_view.show_pair(self.result, a, b)
        self.tabs.setCurrentWidget(self.pair_view)

    def filter_tree(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._expand()

    def _expand(self) -> None:
        """Open every event, and the duplicate groups that hold copies (a lone story's group is one row)."""
        self.tree.expandToDepth(0)
        proxy = self.proxy
        for r in range(proxy.rowCount()):
            event = proxy.index(r, 0)
            for g in range(proxy.rowCount(event)):
                group = proxy.index(g, 0, event)
                if proxy.rowCount(group) > 1:
                    self.tree.expand(group)

    def export(self, kind: str) -> Path | None:
        if self.result is None:
            return None
        return export_csv(self, self.result, kind, self.settings)

    # -- window events ------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.jobs.stop_all()
        self.session.close()
        preferences.save_layout(self.settings, self, self.splitters())
        self.settings.sync()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._splitters_restored:
            self._splitters_restored = True
            preferences.restore_splitters(self.settings, self.splitters())

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        event.acceptProposedAction()
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if len(paths) < len(urls):
            QMessageBox.warning(self, "Cannot scan that", "Only files and folders on this computer can be "
                                "scanned; web addresses are not fetched.")
        if paths:
            self.add_paths(paths)

