"""The window's workspace menus: File > New / Open / Save As / Rescan / recent workspaces, Edit > Undo / Redo.

The workspace itself and the decisions' history belong to the core ``Session``; this module asks the
user (file dialogs, messages) and tells the session. With a workspace open, scans are the workspace's
incremental rescans and the user's corrections are stored in it as they are made.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from newsdedup.gui.actions import add_action
from newsdedup.gui.plain_text import menu_text, message_text
from newsdedup.session import NeedsWorkspace, Session
from newsdedup.workspace.store import SUFFIX, WorkspaceError

RECENT_MAX = 8
FILTER = f"newsdedup workspaces (*{SUFFIX});;All files (*)"


class WorkspaceActions(QObject):
    def __init__(self, window: QMainWindow, session: Session, settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.session, self.settings = window, session, settings

    # -- menus --------------------------------------------------------------------------------------
    def add_file_actions(self, menu: QMenu, rescan) -> None:
        w = self.window
        add_action(w, menu, "&New Workspace…", "actionNewWorkspace", lambda: self.new_workspace(),
                   QKeySequence.StandardKey.New)
        add_action(w, menu, "&Open Workspace…", "actionOpenWorkspace", lambda: self.open_workspace(),
                   QKeySequence("Ctrl+Shift+O"))
        self.recent_menu = menu.addMenu("Recent &Workspaces")
        self.recent_menu.setObjectName("menuRecentWorkspaces")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.action_save_as = add_action(w, menu, "Save Workspace &As…", "actionSaveWorkspaceAs",
                                         lambda: self.save_as(), QKeySequence.StandardKey.SaveAs)
        self.action_rescan = add_action(w, menu, "Rescan &Workspace", "actionRescanWorkspace", rescan,
                                        QKeySequence.StandardKey.Refresh)
        for action in (self.action_save_as, self.action_rescan):
            action.setEnabled(False)

    def add_edit_actions(self, menu: QMenu) -> None:
        self.action_undo = add_action(self.window, menu, "&Undo", "actionUndo", self.undo,
                                      QKeySequence.StandardKey.Undo)
        self.action_redo = add_action(self.window, menu, "&Redo", "actionRedo", self.redo,
                                      QKeySequence.StandardKey.Redo)
        self.history_changed()

    def history_changed(self) -> None:
        """Undo and Redo say what they would do, and are off when there is nothing to do."""
        for action, verb, text in ((self.action_undo, "&Undo", self.session.undo_text()),
                                   (self.action_redo, "&Redo", self.session.redo_text())):
            action.setText(f"{verb} {text}" if text else verb)
            action.setEnabled(bool(text))

    def recent(self) -> list[str]:
        value = self.settings.value("recentWorkspaces")
        return [] if not value else [value] if isinstance(value, str) else [str(v) for v in value]

    def _remember(self, path: Path) -> None:
        recent = [str(path.resolve())] + [r for r in self.recent() if r != str(path.resolve())]
        self.settings.setValue("recentWorkspaces", recent[:RECENT_MAX])

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
        folder = self.settings.value("workspace/folder") or str(Path.home())
        ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        chosen, _filter = ask(self.window, title, str(Path(folder) / f"project{SUFFIX}") if save else folder,
                              FILTER)
        if not chosen:
            return None
        path = Path(chosen)
        if save and not path.suffix:
            path = path.with_suffix(SUFFIX)
        self.settings.setValue("workspace/folder", str(path.parent))
        return path

    def _opened(self) -> None:
        ws = self.session.workspace
        assert ws is not None  # just opened
        self._remember(ws.path)
        self.action_save_as.setEnabled(True)
        self.action_rescan.setEnabled(not ws.read_only)
        note = f" ({ws.read_only_reason})" if ws.read_only else ""
        self.window.setWindowTitle(f"{ws.path.name}{note} — newsdedup")
        self.history_changed()

    def _attempt(self, title: str, act) -> bool:
        try:
            act()
        except WorkspaceError as exc:
            QMessageBox.critical(self.window, title, message_text(str(exc)))
            return False
        self._opened()
        return True

    def new_workspace(self, path: Path | None = None) -> bool:
        """A new workspace holding the folders shown now (the save dialog asked before replacing a file)."""
        path = path or self._ask_path("New workspace", save=True)
        return path is not None and self._attempt("Cannot create the workspace",
                                                  lambda: self.session.new_workspace(path))

    def open_workspace(self, path: Path | None = None) -> bool:
        path = path or self._ask_path("Open workspace", save=False)
        if path is None or not self._attempt("Cannot open the workspace", lambda: self.session.open_workspace(path)):
            return False
        self.window.statusBar().showMessage(f"Opening {path.name}…", 5000)
        return True

    def save_as(self, path: Path | None = None) -> bool:
        if self.session.workspace is None:
            return False
        path = path or self._ask_path("Save workspace as", save=True)
        return path is not None and self._attempt("Cannot save the workspace", lambda: self.session.save_as(path))

    # -- decisions ----------------------------------------------------------------------------------
    def decide(self, decision, text: str) -> None:
        """Keep a correction; without a workspace, ask where to keep one first."""
        if self.session.workspace is None:
            QMessageBox.information(self.window, "Corrections need a workspace",
                                    "Corrections are kept in a workspace file, so they survive rescans.\n\n"
                                    "Choose where to keep this one.")
            if not self.new_workspace():
                return
        try:
            self.session.decide(decision, text)
        except NeedsWorkspace as exc:
            QMessageBox.warning(self.window, "Read-only workspace", message_text(str(exc)))
        self.history_changed()

    def undo(self) -> None:
        self.session.undo()
        self.history_changed()

    def redo(self) -> None:
        self.session.redo()
        self.history_changed()
