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
from newsdedup.gui.actions import named
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
from newsdedup.gui.story_index import RELATION_WORDS
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
    outlet = f"{story.source} (outlet: {story.source_provenance})" if story.source else "unknown source"
    parts = [outlet, f"{when} (date: {story.date_provenance})",
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
        self.shown: ShownText | None = None

        self.title = plain_label("Pick a story in the list to read it here.", "documentTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = plain_label("", "documentMeta")
        self.hide_boilerplate = QCheckBox("Hide boilerplate")
        self.hide_boilerplate.setObjectName("hideBoilerplate")
        self.hide_boilerplate.toggled.connect(self._render)
        self.previous_button = named(QToolButton(), "previousOverlap")
        self.previous_button.setText("◀ Previous overlap")
        self.next_button = named(QToolButton(), "nextOverlap")
        self.next_button.setText("Next overlap ▶")
        self.previous_button.clicked.connect(lambda: self.go_to_overlap(self.current - 1))
        self.next_button.clicked.connect(lambda: self.go_to_overlap(self.current + 1))
        for button in (self.previous_button, self.next_button):
            button.setEnabled(False)  # until a story with overlaps is shown
        self.position = plain_label("", "overlapPosition")
        self.legend = named(QWidget(), "legend")
        self.legend_row = QHBoxLayout(self.legend)
        self.legend_row.setContentsMargins(0, 0, 0, 0)
        self.text = make_editor("documentText", "Story text, boilerplate greyed, shared passages highlighted")

        self.related = named(QTreeWidget(), "relatedStories")
        self.related.setAccessibleName("Stories that share text with this one")
        self.related.setRootIsDecorated(False)
        self.related.setHeaderLabels(["Shares text with", "Relation", "Jaccard", "This in it", "It in this",
                                      "Passages"])  # short: the titles need the width; the tips say more
        head = self.related.headerItem()
        for column, tip in ((3, "How much of this story is in the other"), (4, "How much of the other is in this story")):
            head.setToolTip(column, tip)
        self.related.header().setStretchLastSection(False)
        self.related.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.related.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.related.itemActivated.connect(lambda item, _col: self._request_pair(item))
        self.compare_button = named(QPushButton("Compare side by side"), "compareButton")
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
        self.splitter = named(QSplitter(Qt.Orientation.Vertical), "documentSplitter")
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
        others: list[str] = []
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
            first = self.related.topLevelItem(0)
            if first is not None:  # Compare is one click away
                self.related.setCurrentItem(first)
        self._fill_legend(others)
        self.current = -1
        self._render()

    def _fill_legend(self, others: list[str]) -> None:
        layout = self.legend_row
        result = self.result
        assert result is not None  # a story is shown
        while layout.count():
            item = layout.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:  # hidden now: a deferred delete waits while a context menu's loop runs
                w.hide()
                w.deleteLater()
        layout.addWidget(chip(BOILERPLATE_BG, BOILERPLATE_FG))
        layout.addWidget(plain_label("boilerplate (left out of every comparison)"))
        for i, other in enumerate(others):
            n = sum(1 for o in self.overlaps if o.other == other)
            layout.addWidget(chip(passage_colour(i).name()))
            title = result.story(other).title or other
            title = title if len(title) <= 48 else title[:47] + "…"
            passages = "1 passage" if n == 1 else f"{n} passages"
            layout.addWidget(plain_label(f"{passages} shared with “{title}” ({other.split('#')[0]})"))
        if not others:
            layout.addWidget(plain_label("no passage shared with another story"))
        layout.addStretch(1)

    def _render(self) -> None:
        if self.story is None or self.result is None:
            return
        text = self.result.document(self.story.doc_id).text
        hide = self.hide_boilerplate.isChecked()
        ranges = self.story.clean_ranges() if hide else [(self.story.start, self.story.end)]
        self.shown = ShownText(text, ranges)
        self.text.setPlainText(self.shown.text)
        self._highlight()

    def _highlight(self) -> None:
        shown, edit, story = self.shown, self.text, self.story
        assert shown is not None and story is not None  # a story is shown
        sels = []
        if not self.hide_boilerplate.isChecked():
            grey = boilerplate_format()
            sels += [selection(edit, shown.position(b.start), shown.position(b.end), grey)
                     for b in story.boilerplate if not b.kept]  # kept: the user said it is text
        for k, o in enumerate(self.overlaps):
            fmt = current_format(passage_colour(o.colour)) if k == self.current else background(
                passage_colour(o.colour))
            sels.append(selection(edit, shown.position(o.start), shown.position(o.end), fmt))
        edit.setExtraSelections(sels)
        n = len(self.overlaps)
        self.position.setText(f"overlap {self.current + 1} of {n}" if self.current >= 0 else
                              "1 overlap" if n == 1 else f"{n} overlaps")
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < n - 1)

    def go_to_overlap(self, k: int) -> None:
        if not 0 <= k < len(self.overlaps):
            return
        self.current = k
        self._highlight()
        if self.shown is not None:
            scroll_to(self.text, self.shown.position(self.overlaps[k].start))

    def _request_pair(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and self.story is not None:
            self.pairRequested.emit(self.story.story_id, item.data(0, Qt.ItemDataRole.UserRole))
