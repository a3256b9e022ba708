"""Two stories side by side, the passages they share highlighted in both in matching colours.

A click on a passage on one side scrolls the other side to its twin; Previous / Next walk the passages in
the left story's reading order. The scores (Jaccard, containment each way) stand above the texts. Stock
phrasing (a passage most of whose 5-word runs many stories of the folder use) is underlined with dots, in
no passage colour: it is shared, but it is not what the two are graded as reuse on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from newsdedup.dedup.passages import shared_passages
from newsdedup.gui.actions import named
from newsdedup.gui.document_view import describe, plain_label
from newsdedup.gui.plain_text import (
    ShownText,
    background,
    boilerplate_format,
    current_format,
    make_editor,
    passage_colour,
    scroll_to,
    selection,
    stock_format,
)
from newsdedup.gui.story_index import RELATION_WORDS
from newsdedup.model import Relation, ScanResult, SharedPassage, Story


def relation_between(result: ScanResult, a: str, b: str) -> Relation | None:
    for r in result.relations_of(a):
        if {r.story_a, r.story_b} == {a, b}:
            return r
    return None


class _Side(QWidget):
    def __init__(self, name: str, accessible: str) -> None:
        super().__init__()
        self.title = plain_label("", f"{name}Title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.meta = plain_label("", f"{name}Meta")
        self.text = make_editor(f"{name}Text", accessible)
        self.shown: ShownText | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.text, 1)

    def show(self, result: ScanResult, story: Story) -> None:  # type: ignore[override]
        self.title.setText(story.title or story.story_id)
        self.meta.setText(describe(result, story))
        self.shown = ShownText(result.document(story.doc_id).text, [(story.start, story.end)])
        self.text.setPlainText(self.shown.text)


class PairView(QWidget):
    passageChosen = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("pairView")
        self.setAccessibleName("Two stories side by side")
        self.result: ScanResult | None = None
        self.a: Story | None = None
        self.b: Story | None = None
        self.passages: list[SharedPassage] = []
        self.current = -1
        self.scores = plain_label("Choose a related story under a story's text to compare the two here.",
                                  "pairScores")
        font = self.scores.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.scores.setFont(font)
        self.previous_button = named(QToolButton(), "previousPassage")
        self.previous_button.setText("◀ Previous passage")
        self.next_button = named(QToolButton(), "nextPassage")
        self.next_button.setText("Next passage ▶")
        self.previous_button.clicked.connect(lambda: self.go_to_passage(self.current - 1))
        self.next_button.clicked.connect(lambda: self.go_to_passage(self.current + 1))
        self.position = named(QLabel(""), "passagePosition")
        self.left = _Side("pairLeft", "Left story of the pair")
        self.right = _Side("pairRight", "Right story of the pair")
        for side in (self.left, self.right):
            side.text.viewport().installEventFilter(self)
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "pairSplitter")
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.right)
        bar = QHBoxLayout()
        bar.addStretch(1)
        for w in (self.previous_button, self.position, self.next_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scores)
        layout.addWidget(plain_label("Shared passages have the same colour on both sides; click one to bring "
                                     "its twin into view. Greyed text is boilerplate; a dotted underline marks "
                                     "stock phrasing many stories use, shared but not counted as reuse.",
                                     "pairHint"))
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()

    def show_pair(self, result: ScanResult, a: str, b: str) -> None:
        self.result, self.a, self.b = result, result.story(a), result.story(b)
        self.left.show(result, self.a)
        self.right.show(result, self.b)
        self.passages = shared_passages(result, self.a, self.b)
        self.scores.setText(self._score_line(relation_between(result, a, b)))
        self.current = -1
        self._highlight()
        if self.passages:
            self.go_to_passage(0)

    def _score_line(self, rel: Relation | None) -> str:
        words = sum(p.words for p in self.passages)
        n = len(self.passages)
        head = f"{n} shared {'passage' if n == 1 else 'passages'}, {words} {'word' if words == 1 else 'words'}"
        stock = [p for p in self.passages if p.stock]
        if stock:
            head += (f" ({len(stock)} of them, {sum(p.words for p in stock)} words, stock phrasing many stories "
                     "use: not counted as reuse)")
        if rel is None:
            return f"{head}  ·  not related at the current thresholds"
        shown_left = self.a.story_id if self.a is not None else ""
        left_in, right_in = ((rel.containment_a_in_b, rel.containment_b_in_a) if rel.story_a == shown_left
                             else (rel.containment_b_in_a, rel.containment_a_in_b))
        return (f"{RELATION_WORDS.get(rel.kind, rel.kind).capitalize()}  ·  Jaccard {rel.jaccard:.2f}  ·  "
                f"{left_in:.0%} of left is in right  ·  {right_in:.0%} of right is in left\n{head}")

    def _highlight(self) -> None:
        for side, story, ends in ((self.left, self.a, "a"), (self.right, self.b, "b")):
            shown = side.shown
            assert shown is not None and story is not None  # a pair is shown
            grey = boilerplate_format()
            sels = [selection(side.text, shown.position(s.start), shown.position(s.end), grey)
                    for s in story.boilerplate if not s.kept]
            for k, p in enumerate(self.passages):
                start, end = (p.a_start, p.a_end) if ends == "a" else (p.b_start, p.b_end)
                colour = passage_colour(k)
                fmt = (stock_format(k == self.current) if p.stock
                       else current_format(colour) if k == self.current else background(colour))
                sels.append(selection(side.text, shown.position(start), shown.position(end), fmt))
            side.text.setExtraSelections(sels)
        self._update_buttons()

    def _update_buttons(self) -> None:
        n = len(self.passages)
        self.position.setText(f"passage {self.current + 1} of {n}" if self.current >= 0 else "")
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < n - 1)

    def go_to_passage(self, k: int, clicked: str = "") -> None:
        """Make passage ``k`` the current one and bring it into view on both sides (or on the side
        opposite the one ``clicked``, which the reader is looking at already)."""
        if not 0 <= k < len(self.passages):
            return
        self.current = k
        self._highlight()
        p = self.passages[k]
        left, right = self.left.shown, self.right.shown
        if clicked != "left" and left is not None:
            scroll_to(self.left.text, left.position(p.a_start))
        if clicked != "right" and right is not None:
            scroll_to(self.right.text, right.position(p.b_start))
        self.passageChosen.emit(k)

    def passage_at(self, side: str, position: int) -> int:
        """The passage under an editor position of the ``side`` ("left" or "right"), or -1."""
        shown = (self.left if side == "left" else self.right).shown
        if shown is None:
            return -1
        offset = shown.doc_offset(position)
        for k, p in enumerate(self.passages):
            start, end = (p.a_start, p.a_end) if side == "left" else (p.b_start, p.b_end)
            if start <= offset < end:
                return k
        return -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseButtonRelease \
                and self.a is not None:
            side = "left" if watched is self.left.text.viewport() else "right"
            edit = self.left.text if side == "left" else self.right.text
            if not edit.textCursor().hasSelection():  # a click, not the end of a text selection
                k = self.passage_at(side, edit.cursorForPosition(event.position().toPoint()).position())
                if k >= 0:
                    self.go_to_passage(k, clicked=side)
        return super().eventFilter(watched, event)
