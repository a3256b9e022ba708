"""The folder set as a list the user can see and edit: which folders a scan reads, and which the
shown result holds; Add and Remove change the set and scan it again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from newsdedup.gui.actions import named

PATH_ROLE = Qt.ItemDataRole.UserRole


class FolderList(QWidget):
    addRequested = Signal()  # noqa: N815 - Qt signal naming
    removeRequested = Signal(Path)  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("folderSet")
        self.setAccessibleName("Folders in the scan set")
        self.list = named(QListWidget(), "folderList")
        self.list.setAccessibleName("Folders and files in the scan set")
        self.add_button = named(QPushButton("Add…"), "addFolderButton")
        self.remove_button = named(QPushButton("Remove"), "removeFolderButton")
        self.remove_button.setAccessibleName("Remove the chosen folder from the set")
        self.remove_button.setEnabled(False)
        self.add_button.clicked.connect(self.addRequested)
        self.remove_button.clicked.connect(self.remove_chosen)
        self.list.currentRowChanged.connect(lambda row: self.remove_button.setEnabled(row >= 0))
        remove = named(QAction("Remove from the set", self.list), "actionRemoveFolder")
        remove.triggered.connect(self.remove_chosen)
        self.list.addAction(remove)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def set_folders(self, paths: list[Path], scanned: list[Path], scanning: bool) -> None:
        """List the set; a folder the shown result does not hold yet says so."""
        self.list.clear()
        for path in paths:
            note = "" if path in scanned else ("  (scanning…)" if scanning else "  (not scanned)")
            item = QListWidgetItem(f"{path.name or path}{note}")
            item.setToolTip(str(path))
            item.setData(PATH_ROLE, str(path))
            self.list.addItem(item)
        self.remove_button.setEnabled(False)

    def folders(self) -> list[str]:
        """What the list shows, as a user reads it."""
        return [self.list.item(r).text() for r in range(self.list.count())]

    def remove_chosen(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.removeRequested.emit(Path(item.data(PATH_ROLE)))
