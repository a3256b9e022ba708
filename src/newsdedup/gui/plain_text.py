"""Article text shown as plain text, with spans of the original text highlighted.

Nothing from an article is ever interpreted: the text goes into a read-only QPlainTextEdit through
``setPlainText`` and highlights are ExtraSelections (character formats), never HTML. Spans are offsets
into ``Document.text``; ``ShownText`` maps them to the editor's positions, which differ in three ways:
hidden boilerplate is cut out, a carriage return would be folded by Qt (so it is shown as a space or a
line break, keeping lengths), and Qt counts UTF-16 code units where Python counts code points.
"""

from __future__ import annotations

import bisect

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtGui import Qt as GuiQt  # QtGui's half of the Qt namespace: the rich-text helpers
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

# Light backgrounds that stay readable under black text and distinct from one another and from grey.
PASSAGE_COLOURS = ("#ffe08a", "#a8e6a1", "#9fd3ff", "#ffb3c7", "#d5b8ff", "#ffc99a", "#9ff0e0", "#e6f28f")
BOILERPLATE_FG = "#8a8a8a"
BOILERPLATE_BG = "#efefef"


def message_text(text: str) -> str:
    """``text`` for a message box, which reads text that looks like HTML as HTML: a file name such as
    ``<img src=…>.txt`` is escaped, so it is shown as written and nothing is fetched."""
    return GuiQt.convertFromPlainText(text) if GuiQt.mightBeRichText(text) else text


def menu_text(text: str) -> str:
    """``text`` for a menu entry, where "&" would mark a shortcut key."""
    return text.replace("&", "&&")


def passage_colour(i: int) -> QColor:
    return QColor(PASSAGE_COLOURS[i % len(PASSAGE_COLOURS)])


class ShownText:
    """The parts ``ranges`` of ``text`` as shown in an editor, one after another, with offsets mapped."""

    def __init__(self, text: str, ranges: list[tuple[int, int]], separator: str = "\n") -> None:
        self._doc_starts: list[int] = []
        self._segments: list[tuple[int, int, int]] = []  # (doc_start, doc_end, shown_start)
        parts: list[str] = []
        pos = 0
        for k, (s, e) in enumerate(ranges):
            if k:
                parts.append(separator)
                pos += len(separator)
            self._segments.append((s, e, pos))
            self._doc_starts.append(s)
            parts.append(text[s:e])
            pos += e - s
        shown = "".join(parts).replace("\r\n", " \n").replace("\r", "\n")
        self.text = shown
        codes = np.frombuffer(shown.encode("utf-32-le"), dtype=np.uint32)
        self._extra = np.concatenate(([0], np.cumsum(codes > 0xFFFF)))  # UTF-16 surrogates before each point
        self._utf16 = np.arange(len(self._extra)) + self._extra
        self._shown_starts = [seg[2] for seg in self._segments]

    def position(self, doc_offset: int) -> int:
        """The editor position of a document offset (a hidden offset maps to the next shown text)."""
        k = bisect.bisect_right(self._doc_starts, doc_offset) - 1
        if k < 0:
            shown = 0
        else:
            s, e, at = self._segments[k]
            shown = at + min(doc_offset, e) - s if doc_offset <= e or k + 1 == len(self._segments) \
                else self._segments[k + 1][2]
        shown = max(0, min(shown, len(self.text)))
        return int(shown + self._extra[shown])

    def doc_offset(self, position: int) -> int:
        """The document offset of an editor position (the inverse of ``position`` on shown text)."""
        if not self._segments:
            return 0
        shown = int(np.searchsorted(self._utf16, position, side="right") - 1)
        k = max(0, bisect.bisect_right(self._shown_starts, shown) - 1)
        s, e, at = self._segments[k]
        return min(s + shown - at, e)


def make_editor(name: str, accessible: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setReadOnly(True)
    edit.setUndoRedoEnabled(False)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    edit.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return edit


def selection(edit: QPlainTextEdit, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
    sel = QTextEdit.ExtraSelection()
    cursor = QTextCursor(edit.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    sel.cursor = cursor
    sel.format = fmt
    return sel


def background(colour: QColor | str, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    return fmt


def boilerplate_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(BOILERPLATE_FG))
    fmt.setBackground(QColor(BOILERPLATE_BG))
    fmt.setFontItalic(True)
    return fmt


def stock_format(current: bool = False) -> QTextCharFormat:
    """Stock phrasing two stories share: marked apart from the text, but in no passage colour (not reuse)."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(QColor(BOILERPLATE_FG))
    if current:
        fmt.setBackground(QColor(BOILERPLATE_BG))
    return fmt


def current_format(colour: QColor) -> QTextCharFormat:
    """The passage the reader is on: its colour, darker, and underlined."""
    fmt = background(colour.darker(125))
    fmt.setFontUnderline(True)
    return fmt


def scroll_to(edit: QPlainTextEdit, position: int) -> None:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(position)
    edit.setTextCursor(cursor)
    edit.centerCursor()
