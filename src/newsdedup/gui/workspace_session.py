"""The window's workspace: File > New / Open / Save As / recent workspaces, and Edit > Undo / Redo.

With a workspace open, scans are the workspace's incremental rescans (only new or changed files are
read) and the user's corrections are stored in it as they are made; without one, the window scans as
before and offers to make a workspace when a correction needs one. A workspace is opened on the GUI
thread (checks only) and its saved result loaded on a worker.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from newsdedup.corrections.decisions import Decision
from newsdedup.gui.decisions import Ask, DecisionCommand
from newsdedup.gui.plain_text import menu_text, message_text
from newsdedup.pipeline import run_apply_decisions
from newsdedup.workspace.rescan import RescanCounts, run_load, run_rescan
from newsdedup.workspace.store import SUFFIX, Workspace, WorkspaceError

RECENT_MAX = 8
FILTER = f"newsdedup workspaces (*{SUFFIX});;All files (*)"


class WorkspaceSession(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.workspace: Workspace | None = None
        self.undo_stack = QUndoStack(self)
        self.ask = Ask(window)
        self.counts: RescanCounts | None = None  # filled by the running rescan, read when it is done
        self.pending = False  # decisions made during a scan, to apply to its result

    # -- menus --------------------------------------------------------------------------------------
    def add_file_actions(self, menu: QMenu) -> None:
        w = self.window
        w._action(menu, "&New Workspace…", "actionNewWorkspace", lambda: self.new_workspace(),
                  QKeySequence.StandardKey.New)
        w._action(menu, "&Open Workspace…", "actionOpenWorkspace", lambda: self.open_workspace(),
                  QKeySequence("Ctrl+Shift+O"))
        self.recent_menu = menu.addMenu("Recent &Workspaces")
        self.recent_menu.setObjectName("menuRecentWorkspaces")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.action_save_as = w._action(menu, "Save Workspace &As…", "actionSaveWorkspaceAs",
                                        lambda: self.save_as(), QKeySequence.StandardKey.SaveAs)
        self.action_rescan = w._action(menu, "Rescan &Workspace", "actionRescanWorkspace", w.start_scan,
                                       QKeySequence.StandardKey.Refresh)
        for action in (self.action_save_as, self.action_rescan):
            action.setEnabled(False)

    def add_edit_actions(self, menu: QMenu) -> None:
        for action, name, keys in ((self.undo_stack.createUndoAction(self, "&Undo"), "actionUndo",
                                    QKeySequence.StandardKey.Undo),
                                   (self.undo_stack.createRedoAction(self, "&Redo"), "actionRedo",
                                    QKeySequence.StandardKey.Redo)):
            action.setObjectName(name)
            action.setShortcut(keys)
            menu.addAction(action)

    def recent(self) -> list[str]:
        value = self.window.settings.value("recentWorkspaces")
        return [] if not value else [value] if isinstance(value, str) else [str(v) for v in value]

    def _remember(self, path: Path) -> None:
        recent = [str(path.resolve())] + [r for r in self.recent() if r != str(path.resolve())]
        self.window.settings.setValue("recentWorkspaces", recent[:RECENT_MAX])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent():
            action = QAction(menu_text(path), self.recent_menu)
            action.triggered.connect(lambda _=False, p=path: self.open_workspace(Path(p)))
            self.recent_menu.addAction(action)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- new, open, save as ---------------------------------------------------------------------------
    def _ask_path(self, title: str, save: bool) -> Path | None:
        folder = self.window.settings.value("workspace/folder") or str(Path.home())
        ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        chosen, _filter = ask(self.window, title, str(Path(folder) / f"project{SUFFIX}") if save else folder,
                              FILTER)
        if not chosen:
            return None
        path = Path(chosen)
        if save and not path.suffix:
            path = path.with_suffix(SUFFIX)
        self.window.settings.setValue("workspace/folder", str(path.parent))
        return path

    def _use(self, ws: Workspace) -> None:
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = ws
        self.undo_stack.clear()
        self._remember(ws.path)
        self.action_save_as.setEnabled(True)
        self.action_rescan.setEnabled(not ws.read_only)
        note = f" ({ws.read_only_reason})" if ws.read_only else ""
        self.window.setWindowTitle(f"{ws.path.name}{note} — newsdedup")

    def _failed(self, title: str, exc: Exception) -> None:
        QMessageBox.critical(self.window, title, message_text(str(exc)))

    def new_workspace(self, path: Path | None = None) -> bool:
        """A new workspace holding the folders shown now (the save dialog asked before replacing a file)."""
        path = path or self._ask_path("New workspace", save=True)
        if path is None:
            return False
        try:
            ws = Workspace.create(path, self.window.paths, self.window.scan_settings, replace=path.is_file())
        except WorkspaceError as exc:
            self._failed("Cannot create the workspace", exc)
            return False
        self._use(ws)
        if self.window.paths:
            self.window.start_scan()
        return True

    def open_workspace(self, path: Path | None = None) -> bool:
        path = path or self._ask_path("Open workspace", save=False)
        if path is None:
            return False
        try:
            ws = Workspace.open(path)
        except WorkspaceError as exc:
            self._failed("Cannot open the workspace", exc)
            return False
        self._use(ws)
        self.window.paths = ws.folders()
        self.window.jobs.start("load", lambda: run_load(path))
        self.window.statusBar().showMessage(f"Opening {path.name}…")
        return True

    def save_as(self, path: Path | None = None) -> bool:
        if self.workspace is None:
            return False
        path = path or self._ask_path("Save workspace as", save=True)
        if path is None:
            return False
        try:
            ws = self.workspace.save_as(path)
        except WorkspaceError as exc:
            self._failed("Cannot save the workspace", exc)
            return False
        self._use(ws)
        return True

    def loaded(self, result) -> None:
        """The saved result of an opened workspace arrived: show it, or scan if it was never scanned."""
        if result is None:
            if self.window.paths:
                self.window.start_scan()
            return
        self.window.finish_scan(result)

    # -- scans and decisions --------------------------------------------------------------------------
    def scan_job(self, paths: list[Path], settings):
        """The job a scan runs: the workspace's incremental rescan when one is open."""
        ws = self.workspace
        ws.set_folders(paths)
        ws.save_settings(settings)
        counts = self.counts = RescanCounts()
        return lambda: run_rescan(ws.path, settings=settings, counts=counts)

    def counts_line(self) -> str:
        """What the last rescan read and reused, once (for the status bar)."""
        counts, self.counts = self.counts, None
        return f"Rescan: {counts.line()}" if counts is not None else ""

    def decide(self, decision: Decision, text: str) -> None:
        if self.workspace is None:
            QMessageBox.information(self.window, "Corrections need a workspace",
                                    "Corrections are kept in a workspace file, so they survive rescans.\n\n"
                                    "Choose where to keep this one.")
            if not self.new_workspace():
                return
        if self.workspace.read_only:
            QMessageBox.warning(self.window, "Read-only workspace",
                                message_text(f"{self.workspace.path.name} is {self.workspace.read_only_reason}."))
            return
        self.undo_stack.push(DecisionCommand(self, decision, text))

    def decisions_changed(self) -> None:
        """Apply every stored decision to the shown result, on a worker; no file is read."""
        result, sets = self.window.result, self.window.similarities
        if result is None:
            return
        if self.window.jobs.running("scan") or self.window.jobs.running("load"):
            self.pending = True  # the scan read the decisions when it began: apply them when it ends
            return
        self.pending = False
        decisions = self.workspace.decisions()
        shingles = sets.sets if sets is not None else None
        self.window.jobs.start("decisions", lambda: run_apply_decisions(result, decisions, shingles))

    def decided(self, result) -> None:
        """A result with the decisions applied: keep it in the workspace for the next open."""
        if self.workspace is not None and not self.workspace.read_only:
            try:
                self.workspace.save_result(result)
            except WorkspaceError as exc:
                self._failed("Cannot save the workspace", exc)

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
