"""The Problems panel: every file the scan could not read (and every file it skipped), with the reason."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QHeaderView, QLabel, QStackedWidget, QTableView

from newsdedup.gui.actions import named
from newsdedup.model import FileStatus, ScanResult

COLUMNS = ("File", "What happened", "Reason")


Index = QModelIndex | QPersistentModelIndex  # what Qt passes to a model's overrides


class ProblemsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_result(self, result: ScanResult | None) -> None:
        self.beginResetModel()
        rows = []
        if result is not None:
            for p in result.problems:
                rows.append((p.path, "could not be read", f"{p.reason} {p.detail}".strip()))
            rows += [(f.path, "skipped", f.reason) for f in result.files if f.status == FileStatus.SKIPPED]
        self._rows = rows
        self.endResetModel()

    def problem_count(self) -> int:
        return sum(1 for r in self._rows if r[1] != "skipped")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._rows[index.row()][index.column()]

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None


class ProblemsPanel(QDockWidget):
    """A dock that names its count in its title; it shows itself when a scan has problems."""

    def __init__(self, parent=None) -> None:
        super().__init__("Problems", parent)
        self.setObjectName("problemsPanel")
        self.setAccessibleName("Problems: files that could not be read")
        self.model = ProblemsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("problemsTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.none = named(QLabel("No problems: every file found was read."), "noProblems")
        self.none.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.none)
        self.pages.addWidget(self.table)
        self.setWidget(self.pages)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override: a strip under the results, not half the window
        return QSize(600, 150)

    def set_result(self, result: ScanResult | None) -> None:
        self.model.set_result(result)
        n = self.model.problem_count()
        skipped = self.model.rowCount() - n
        self.setWindowTitle(f"Problems ({n} unreadable, {skipped} skipped)" if self.model.rowCount() else "Problems")
        self.pages.setCurrentWidget(self.table if self.model.rowCount() else self.none)
        if n:
            self.show()
            self.raise_()
