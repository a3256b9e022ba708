"""One story as an editor reads it: boilerplate greyed, passages shared with other stories highlighted
(stock phrasing that many stories use is left plain: it is shared, but it is not reuse)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsdedup.dedup.passages import shared_passages
from newsdedup.gui.models import RELATION_WORDS
from newsdedup.gui.plain_text import (
    BOILERPLATE_BG,
    BOILERPLATE_FG,
    ShownText,
    background,
    boilerplate_format,
    current_format,
    make_editor,
    passage_colour,
    scroll_to,
    selection,
)
from newsdedup.model import ScanResult, Story


@dataclass(frozen=True)
class Overlap:
    start: int  # document offsets in the shown story
    end: int
    other: str  # the story it is shared with
    colour: int  # index of that story in the legend


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A label that never interprets what it shows (titles come from articles)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def chip(colour: str, border: str = "#777") -> QLabel:
    swatch = QLabel()
    swatch.setFixedSize(14, 14)
    swatch.setStyleSheet(f"background: {colour}; border: 1px solid {border};")
    return swatch


def describe(result: ScanResult, story: Story) -> str:
    doc = result.document(story.doc_id)
    when = f"{story.published.day} {story.published:%b %Y}" if story.published else "no date"
    parts = [story.source or "unknown source", f"{when} (date: {story.date_provenance})",
             f"{story.words} words, {story.boilerplate_words} of them boilerplate", doc.path]
    if story.story_index or len([s for s in result.stories if s.doc_id == story.doc_id]) > 1:
        parts.append(f"story {story.story_index + 1} of its file")
    return "  ·  ".join(parts)


class DocumentView(QWidget):
    pairRequested = Signal(str, str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setAccessibleName("Story text")
        self.result: ScanResult | None = None
        self.story: Story | None = None
        self.overlaps: list[Overlap] = []
        self.current = -1
        self._shown: ShownText | None = None

        self.title = plain_label("Pick a story in the list to read it here.", "documentTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = plain_label("", "documentMeta")
        self.hide_boilerplate = QCheckBox("Hide boilerplate")
        self.hide_boilerplate.setObjectName("hideBoilerplate")
        self.hide_boilerplate.toggled.connect(self._render)
        self.previous_button = QToolButton(text="◀ Previous overlap", objectName="previousOverlap")
        self.next_button = QToolButton(text="Next overlap ▶", objectName="nextOverlap")
        self.previous_button.clicked.connect(lambda: self.go_to_overlap(self.current - 1))
        self.next_button.clicked.connect(lambda: self.go_to_overlap(self.current + 1))
        self.position = plain_label("", "overlapPosition")
        self.legend = QWidget(objectName="legend")
        self.legend.setLayout(QHBoxLayout())
        self.legend.layout().setContentsMargins(0, 0, 0, 0)
        self.text = make_editor("documentText", "Story text, boilerplate greyed, shared passages highlighted")

        self.related = QTreeWidget(objectName="relatedStories")
        self.related.setAccessibleName("Stories that share text with this one")
        self.related.setRootIsDecorated(False)
        self.related.setHeaderLabels(["Shares text with", "Relation", "Jaccard", "% of this story in it",
                                      "% of it in this story", "Passages"])
        self.related.header().setStretchLastSection(False)
        self.related.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.related.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.related.itemActivated.connect(lambda item, _col: self._request_pair(item))
        self.compare_button = QPushButton("Compare side by side", objectName="compareButton")
        self.compare_button.clicked.connect(lambda: self._request_pair(self.related.currentItem()))
        self.compare_button.setEnabled(False)
        self.related.currentItemChanged.connect(lambda item, _prev: self.compare_button.setEnabled(item is not None))
        self._layout()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.hide_boilerplate)
        bar.addStretch(1)
        for w in (self.previous_button, self.position, self.next_button):
            bar.addWidget(w)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.related)
        bl.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignRight)
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="documentSplitter")
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        for w in (self.title, self.meta):
            layout.addWidget(w)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.splitter, 1)

    # -- showing a story ----------------------------------------------------------------------------
    def show_story(self, result: ScanResult, story_id: str) -> None:
        self.result, self.story = result, result.story(story_id)
        self.title.setText(self.story.title or story_id)
        self.meta.setText(describe(result, self.story))
        self.related.clear()
        self.overlaps = []
        others = []
        for rel in sorted(result.relations_of(story_id), key=lambda r: -r.jaccard):
            mine = rel.story_a == story_id
            other = rel.story_b if mine else rel.story_a
            passages = shared_passages(result, self.story, result.story(other))
            colour = len(others)
            others.append(other)
            self.overlaps += [Overlap(p.a_start, p.a_end, other, colour) for p in passages if not p.stock]
            this_in, it_in = ((rel.containment_a_in_b, rel.containment_b_in_a) if mine
                              else (rel.containment_b_in_a, rel.containment_a_in_b))
            item = QTreeWidgetItem([result.story(other).title or other, RELATION_WORDS.get(rel.kind, rel.kind),
                                    f"{rel.jaccard:.2f}", f"{this_in:.0%}", f"{it_in:.0%}", str(len(passages))])
            item.setData(0, Qt.ItemDataRole.UserRole, other)
            item.setBackground(0, passage_colour(colour))
            self.related.addTopLevelItem(item)
        self.overlaps.sort(key=lambda o: o.start)
        if self.related.topLevelItemCount():
            self.related.setCurrentItem(self.related.topLevelItem(0))  # Compare is one click away
        self._fill_legend(others)
        self.current = -1
        self._render()

    def _fill_legend(self, others: list[str]) -> None:
        layout = self.legend.layout()
        while layout.count():
            w = layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        layout.addWidget(chip(BOILERPLATE_BG, BOILERPLATE_FG))
        layout.addWidget(plain_label("boilerplate (left out of every comparison)"))
        for i, other in enumerate(others):
            n = sum(1 for o in self.overlaps if o.other == other)
            layout.addWidget(chip(passage_colour(i).name()))
            title = self.result.story(other).title or other
            title = title if len(title) <= 48 else title[:47] + "…"
            layout.addWidget(plain_label(f"{n} passages shared with “{title}” ({other.split('#')[0]})"))
        if not others:
            layout.addWidget(plain_label("no passage shared with another story"))
        layout.addStretch(1)

    def _render(self) -> None:
        if self.story is None or self.result is None:
            return
        text = self.result.document(self.story.doc_id).text
        hide = self.hide_boilerplate.isChecked()
        ranges = self.story.clean_ranges() if hide else [(self.story.start, self.story.end)]
        self._shown = ShownText(text, ranges)
        self.text.setPlainText(self._shown.text)
        self._highlight()

    def _highlight(self) -> None:
        shown, edit = self._shown, self.text
        sels = []
        if not self.hide_boilerplate.isChecked():
            grey = boilerplate_format()
            sels += [selection(edit, shown.position(b.start), shown.position(b.end), grey)
                     for b in self.story.boilerplate if not b.kept]  # kept: the user said it is text
        for k, o in enumerate(self.overlaps):
            fmt = current_format(passage_colour(o.colour)) if k == self.current else background(
                passage_colour(o.colour))
            sels.append(selection(edit, shown.position(o.start), shown.position(o.end), fmt))
        edit.setExtraSelections(sels)
        n = len(self.overlaps)
        self.position.setText(f"overlap {self.current + 1} of {n}" if self.current >= 0 else f"{n} overlaps")
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < n - 1)

    def go_to_overlap(self, k: int) -> None:
        if not 0 <= k < len(self.overlaps):
            return
        self.current = k
        self._highlight()
        scroll_to(self.text, self._shown.position(self.overlaps[k].start))

    def _request_pair(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and self.story is not None:
            self.pairRequested.emit(self.story.story_id, item.data(0, Qt.ItemDataRole.UserRole))
