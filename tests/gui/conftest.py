"""GUI fixtures: settings in a temporary folder, and dialogs that never block."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from newsdedup.gui import create_window


class Dialogs:
    """Stands in for the user at every dialog: records messages, answers file dialogs as told."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.folder = ""  # what "Add Folder" answers
        self.save_as = ""  # what a save dialog answers
        self.open = ""  # what an open dialog answers
        self.asked: list[str] = []  # titles of input dialogs that were shown (tests answer through Ask)

    def _message(self, kind: str):
        def show(_parent, title, text, *args, **kwargs):
            self.messages.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path) -> Path:
    """QSettings write into the test's own folder, never the user's."""
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> Dialogs:
    d = Dialogs()
    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, d._message(kind))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: d.folder)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (d.save_as, "CSV files (*.csv)"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (d.open, ""))

    def cancelled(value):
        def ask(_parent, title, *args, **kwargs):
            d.asked.append(title)
            return value, False
        return ask
    monkeypatch.setattr(QInputDialog, "getText", cancelled(""))
    monkeypatch.setattr(QInputDialog, "getItem", cancelled(""))
    return d


@pytest.fixture
def window(qtbot):
    w = create_window()
    qtbot.addWidget(w)
    w.resize(1280, 820)
    w.show()
    return w
