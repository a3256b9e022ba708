"""The empty window's page: the invitation to drop folders, and a first scan's progress; the summary line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdedup.gui.actions import named
from newsdedup.model import ScanResult
from newsdedup.sample import sample_folder

INVITE = ("Drop folders of news articles anywhere on this window\n"
          "(or use File › Add Folder) to find copies, page furniture,\n"
          "stories about the same event and shared passages.")


class InvitePage(QWidget):
    """What an empty window shows: where to drop folders, the sample one click away; while the first
    scan runs, its progress in the middle of the window."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("invitePage")
        self.invite = named(QLabel(INVITE), "invite")
        self.invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.invite.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.invite.setFont(font)
        self.sample_button = named(QPushButton("Open the sample articles"), "openSample")
        self.sample_button.setAccessibleName("Open the sample articles")
        self.sample_button.setEnabled(sample_folder() is not None)
        self.progress = named(QProgressBar(), "firstScanProgress")
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


def summary(result: ScanResult) -> str:
    copies = len(result.groups) - sum(1 for g in result.groups if len(g.members) == 1)
    reuse = sum(1 for r in result.relations if r.kind == "partial_reuse")
    return "  ·  ".join((f"{count(len(result.stories), 'story', 'stories')} in "
                         f"{count(len(result.documents), 'document')}",
                         count(len(result.events), "event"), count(copies, "group of copies", "groups of copies"),
                         count(reuse, "partial reuse"), count(len(result.problems), "problem")))


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun in its number: "1 story", "2 stories", "1 partial reuse"."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"
