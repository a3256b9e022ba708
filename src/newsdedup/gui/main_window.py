"""The main window: drop folders, watch the scan, browse events and duplicates, read overlaps, export.

The window shows a core ``Session`` and sends it the user's wishes; it is the session's view (``run``,
``result_changed``, ``scores_changed``): jobs the session hands over run on ``JobRunner``'s workers.
What the window remembers lives in ``preferences``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from newsdedup import __version__
from newsdedup.gui import context_menus, preferences
from newsdedup.gui.actions import add_action, named
from newsdedup.gui.decisions import Ask
from newsdedup.gui.export_actions import add_report_action, export_csv
from newsdedup.gui.jobs import JobRunner
from newsdedup.gui.pages import InvitePage, summary
from newsdedup.gui.plain_text import menu_text, message_text
from newsdedup.gui.problems import ProblemsPanel
from newsdedup.gui.results_page import ResultsPage
from newsdedup.gui.story_index import StoryIndex
from newsdedup.gui.timeline_layout import TimelineData
from newsdedup.gui.workspace_actions import WorkspaceActions
from newsdedup.ingest.files import READABLE
from newsdedup.model import ScanResult
from newsdedup.regroup import Similarities
from newsdedup.sample import sample_folder
from newsdedup.session import Job, Session
from newsdedup.settings import Settings


def prepared(value):
    """What showing ``value`` needs, when it is a result: the tree's lookups, the summary line and the
    timeline's arrays (made on the worker: at 50,000 stories they took the GUI thread 200 ms)."""
    if not isinstance(value, ScanResult):
        return None
    return StoryIndex(value), summary(value), TimelineData(list(value.events))


def usable_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """What a scan can read (folders, article files) and what it cannot, from what was dropped."""
    good: list[Path] = []
    bad: list[Path] = []
    for p in paths:
        (good if p.is_dir() or (p.is_file() and p.suffix.lower() in READABLE) else bad).append(p)
    return good, bad


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("newsdedup")
        self.setAcceptDrops(True)
        self.settings = settings if settings is not None else QSettings()
        self.jobs = JobRunner(self)
        self.jobs.prepare = prepared  # the tree's lookups and the summary of a result, made on the worker
        self.session = Session(self)
        self.ask = Ask(self)
        self.workspace_actions = WorkspaceActions(self, self.session, self.settings)
        self.jobs.failed.connect(self._job_failed)
        self.jobs.cancelled.connect(self._job_cancelled)
        self.jobs.stepped.connect(self._stepped)
        self.invite_page = InvitePage()
        self.invite, self.sample_button = self.invite_page.invite, self.invite_page.sample_button
        self.sample_button.clicked.connect(self.open_sample)
        self.results = ResultsPage()
        r = self.results  # the parts the window routes between, by the names tests and menus use
        self.model, self.proxy, self.tree, self.filter_box = r.model, r.proxy, r.tree, r.filter_box
        self.thresholds, self.timeline, self.tabs = r.thresholds, r.timeline, r.tabs
        self.document_view, self.pair_view = r.document_view, r.pair_view
        self.main_splitter, self.left_splitter, self.page_splitter = r.main_splitter, r.left_splitter, r
        self._wire_results()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.invite_page)
        self.stack.addWidget(self.results)
        self.setCentralWidget(self.stack)
        self.problems = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problems.hide()
        self.problems.visibilityChanged.connect(self._problems_shown)
        self.summary = named(QLabel(""), "summary")  # permanent: a menu's tip never wipes it
        self.summary.setAccessibleName("Summary of the result")
        # a long summary must not widen the window past a small screen: it is cut, and whole on hover
        self.summary.setMinimumWidth(80)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for w in (self.summary, self.jobs.stage_label, self.jobs.progress, self.jobs.cancel_button):
            self.statusBar().addPermanentWidget(w)
        self._menus()
        context_menus.install(self)
        for child in self.findChildren(QWidget):  # a drop anywhere reaches the window, not a text box
            child.setAcceptDrops(False)
            child.ensurePolished()  # now, at start: polishing the results page when the first result
            # arrives held the event loop for most of a tenth of a second
        self.thresholds.set_values(*preferences.load_thresholds(self.settings))
        self.session.settings = self._settings()
        preferences.restore_window(self.settings, self)
        self._splitters_restored = False

    def _wire_results(self) -> None:
        r = self.results
        self.select, self.show_pair, self.filter_tree = r.select, r.show_pair, r.filter_tree
        self.thresholds.changed.connect(self.regroup)
        r.folders.addRequested.connect(self.choose_folder)
        r.folders.removeRequested.connect(self.remove_path)
        r.filterChanged.connect(self._filter_typed)

    # -- properties the session owns ---------------------------------------------------------------
    @property
    def result(self) -> ScanResult | None:
        return self.session.result

    @property
    def similarities(self) -> Similarities | None:
        return self.session.similarities

    @property
    def paths(self) -> list[Path]:
        return self.session.paths

    @property
    def scan_settings(self) -> Settings:
        return self.session.settings

    @scan_settings.setter
    def scan_settings(self, settings: Settings) -> None:
        self.session.settings = settings

    # -- building -----------------------------------------------------------------------------------
    def splitters(self):
        return self.results.splitters()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.action_add = add_action(self, file_menu, "&Add Folder…", "actionAddFolder", self.choose_folder,
                                     QKeySequence.StandardKey.Open)
        add_action(self, file_menu, "Open the &Sample Articles", "actionOpenSample", self.open_sample)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.workspace_actions.add_file_actions(file_menu, self.start_scan)
        file_menu.addSeparator()
        self.action_export = add_action(self, file_menu, "Export &Cluster CSV…", "actionExportCsv",
                                        lambda: self.export("clusters"), QKeySequence("Ctrl+E"))
        self.action_export_pairs = add_action(self, file_menu, "Export &Pairs CSV…", "actionExportPairsCsv",
                                              lambda: self.export("pairs"))
        for a in (self.action_export, self.action_export_pairs):
            a.setEnabled(False)
        add_report_action(self, file_menu)
        file_menu.addSeparator()
        add_action(self, file_menu, "&Quit", "actionQuit", self.close, QKeySequence.StandardKey.Quit)
        self.workspace_actions.add_edit_actions(self.menuBar().addMenu("&Edit"))
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.problems.toggleViewAction())
        side = add_action(self, view_menu, "&Thresholds and Folders", "actionShowSidePanel",
                          lambda on: self.results.show_side(on), QKeySequence("Ctrl+T"))
        side.setCheckable(True)
        side.setChecked(True)
        self.results.side_toggle.toggled.connect(side.setChecked)
        help_menu = self.menuBar().addMenu("&Help")
        add_action(self, help_menu, "&About newsdedup", "actionAbout", self.about)

    def about(self) -> None:
        QMessageBox.about(self, "About newsdedup", message_text(
            f"newsdedup {__version__}\n\nFinds copies of wire stories, page furniture, stories about the same "
            "event and shared passages in folders of news articles.\n\nLicence: MIT."))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for folder in preferences.recent_folders(self.settings):
            action = self.recent_menu.addAction(menu_text(folder))
            action.triggered.connect(lambda _=False, f=folder: self.add_paths([Path(f)]))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- the session's view -------------------------------------------------------------------------
    def run(self, job: Job | None) -> None:
        self.jobs.run(job)
        if job is not None and self.session.result is None:
            self.invite_page.scanning(f"{job.words}…")  # a first scan shows its progress in the middle
        self._show_folders()

    def result_changed(self, result: ScanResult | None) -> None:
        if result is None:
            self.stack.setCurrentWidget(self.invite_page)
            self.invite_page.scanning(None)
            self.summary.setText("")
            self._show_folders()
            return
        self.show_result(result)
        line = self.session.counts_line()
        if line:
            self.statusBar().showMessage(line, 15000)
        else:  # "Scanning 1 folder…" is over: the summary beside it says what was found
            self.statusBar().clearMessage()

    def scores_changed(self, scores: Similarities | None) -> None:
        self.thresholds.histogram.set_values(scores.jaccards() if scores is not None else np.zeros(0))

    def search_changed(self, search) -> None:
        self.model.set_search(search)  # runs a filter typed meanwhile again, through the texts too
        if self.result is not None:
            self.results.show_matches(self.model.shown_events() > 0)

    def _filter_typed(self, text: str) -> None:
        """A filter before the word index: make the index now if nothing else is running (it is the
        last job after a scan, and a Cancel may have stopped it)."""
        if text.strip() and self.model.search is None and not self.session.busy():
            self.session.index()

    def _stepped(self, stage: str, done: int, total: int) -> None:
        if self.session.result is None:
            self.invite_page.step(stage, done, total)

    def _problems_shown(self, shown: bool) -> None:
        if shown:  # a strip under the results, never half the window
            self.resizeDocks([self.problems], [max(120, self.height() // 5)], Qt.Orientation.Vertical)

    def _job_failed(self, words: str, message: str) -> None:
        self._job_ended()
        QMessageBox.critical(self, f"{words} failed", message_text(message))

    def _job_cancelled(self, words: str) -> None:
        self._job_ended()
        self.statusBar().showMessage(f"{words} cancelled; the result shown before is kept.", 8000)

    def _job_ended(self) -> None:
        if self.session.result is None:
            self.invite_page.scanning(None)
        self._show_folders()

    def _show_folders(self) -> None:
        self.results.folders.set_folders(self.session.paths, self.session.scanned, self.session.scanning())
        n = len(self.session.paths)
        self.results.side.setTabText(1, f"Folders ({n})")

    # -- the user's wishes --------------------------------------------------------------------------
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
        preferences.remember_folders(self.settings, good)
        self.session.settings = self._settings()
        self.session.add_paths(good)
        self._say_scanning()

    def remove_path(self, path: Path) -> None:
        self.session.remove_path(path)
        self._show_folders()
        if self.session.paths:
            self._say_scanning()

    def start_scan(self) -> None:
        self.session.settings = self._settings()
        self.session.scan()
        self._say_scanning()

    def _say_scanning(self) -> None:
        n = len(self.session.paths)
        self.statusBar().showMessage(f"Scanning {n} {'folder or file' if n == 1 else 'folders and files'}…",
                                     5000)

    def cancel_scan(self) -> None:
        self.jobs.cancel()

    def is_scanning(self) -> bool:
        """True while a scan, or the scoring and regrouping that follow it, is running."""
        return self.session.busy()

    def decide(self, decision, text: str) -> None:
        """A correction from a menu: kept in the workspace (asking for one first) and applied."""
        self.workspace_actions.decide(decision, text)

    def _settings(self) -> Settings:
        current = self.session.settings
        duplicates, events = self.thresholds.values(current.duplicates, current.events)
        return Settings(duplicates=duplicates, events=events, max_file_bytes=current.max_file_bytes,
                        today=current.today, boilerplate_across=current.boilerplate_across)

    def regroup(self) -> None:
        """Regroup the shown result under the thresholds the controls show (nothing is reread)."""
        settings = self._settings()
        preferences.save_thresholds(self.settings, settings.duplicates, settings.events)
        self.session.set_thresholds(settings.duplicates, settings.events)

    # -- showing a result ---------------------------------------------------------------------------
    def show_result(self, result: ScanResult) -> None:
        self.stack.setCurrentWidget(self.results)  # before the rows: an empty page is quick to lay out
        made = self.jobs.prepared[1] if self.jobs.prepared and self.jobs.prepared[0] is result else None
        lookups, line, timeline = made if isinstance(made, tuple) else (None, summary(result), None)
        self.results.show_result(result, lookups, timeline)
        self.problems.set_result(result)
        self.invite_page.scanning(None)
        for a in (self.action_export, self.action_export_pairs):
            a.setEnabled(True)
        self.summary.setText(line)
        self.summary.setToolTip(line)
        self._show_folders()

    def export(self, kind: str) -> Path | None:
        if self.result is None:
            return None
        return export_csv(self, self.result, kind, self.settings)

    # -- window events ------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.jobs.stop_all()
        self.session.close()
        preferences.save_layout(self.settings, self, self.splitters(), self.results.side.isVisible())
        self.settings.sync()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._splitters_restored:
            self._splitters_restored = True
            if self.screen() is not None:  # the frame (title bar, borders) is known once shown
                preferences.fit_to(self, self.screen().availableGeometry())
            self.results.show_side(preferences.side_panel_shown(self.settings, self))  # first: it has a width
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
