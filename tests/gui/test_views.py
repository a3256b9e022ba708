"""The story view, the pair view, the timeline and plain-text safety, on real widgets."""

from __future__ import annotations

import pytest
from gui_helpers import drop, wait_for_result
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel

from newsdedup.gui.app import main as gui_main
from newsdedup.gui.plain_text import PASSAGE_COLOURS

A = "000_8d0c082b0df052da.txt#0"
B = "001_290fdad124de14e5.txt#0"
LEFT = Qt.MouseButton.LeftButton


def _highlighted(edit) -> list[str]:
    return [s.cursor.selectedText().replace("\u2029", "\n") for s in edit.extraSelections()]


@pytest.fixture
def seeded(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    return window


def test_boilerplate_is_greyed_and_the_toggle_hides_it(qtbot, seeded):
    view = seeded.document_view
    seeded.select("story", B)
    assert "More Images" in view.text.toPlainText()
    assert any("More Images" in t for t in _highlighted(view.text))  # greyed: a selection of its own
    qtbot.mouseClick(view.hide_boilerplate, LEFT)
    assert view.hide_boilerplate.isChecked()
    assert "More Images" not in view.text.toPlainText()
    assert any("The front is not moving eastwards" in t for t in _highlighted(view.text))


def test_next_and_previous_overlap_walk_the_shared_passages(qtbot, seeded):
    view = seeded.document_view
    seeded.select("story", A)
    n = len(view.overlaps)
    assert n >= 2 and not view.previous_button.isEnabled()
    qtbot.mouseClick(view.next_button, LEFT)
    qtbot.mouseClick(view.next_button, LEFT)
    assert view.current == 1 and view.position.text() == f"overlap 2 of {n}"
    assert view.text.textCursor().position() == view.shown.position(view.overlaps[1].start)
    qtbot.mouseClick(view.previous_button, LEFT)
    assert view.current == 0


def test_a_click_on_a_passage_scrolls_the_other_side_to_its_twin(qtbot, seeded):
    seeded.show_pair(A, B)
    pair = seeded.pair_view
    k = len(pair.passages) - 1
    p = pair.passages[k]
    left = pair.left
    pair.go_to_passage(k)  # bring it into view on the left, then move the right side away
    pair.right.text.moveCursor(pair.right.text.textCursor().MoveOperation.Start)
    pair.right.text.ensureCursorVisible()
    cursor = left.text.textCursor()
    cursor.setPosition(left.shown.position((p.a_start + p.a_end) // 2))
    where = left.text.cursorRect(cursor).center()
    pair.current = -1
    qtbot.mouseClick(left.text.viewport(), LEFT, pos=where)
    assert pair.current == k
    assert pair.right.text.textCursor().position() == pair.right.shown.position(p.b_start)
    assert pair.position.text() == f"passage {k + 1} of {len(pair.passages)}"


def test_the_timeline_marks_each_event_and_is_linked_to_the_tree(qtbot, seeded):
    timeline, result = seeded.timeline, seeded.result
    timeline.repaint()
    rects = {e.event_id: timeline.mark_rect(e.event_id) for e in result.events}
    assert all(r is not None for r in rects.values())
    dated = [e for e in result.events if e.start]
    undated = [e for e in result.events if e.start is None]
    if undated:
        assert min(rects[e.event_id].left() for e in undated) > max(rects[e.event_id].right() for e in dated)
    big = max(result.events, key=lambda e: len(e.story_ids))
    small = min(result.events, key=lambda e: len(e.story_ids))
    if len(big.story_ids) > len(small.story_ids):
        assert rects[big.event_id].height() > rects[small.event_id].height()
    target = result.events[-1]
    qtbot.mouseClick(timeline, LEFT, pos=rects[target.event_id].center().toPoint())
    current = seeded.tree.currentIndex()
    assert current.data(Qt.ItemDataRole.UserRole + 1) == "event"
    assert current.data(Qt.ItemDataRole.UserRole + 2) == target.event_id
    seeded.select("story", A)
    assert timeline.selected == next(e.event_id for e in result.events if A in e.story_ids)


def test_article_markup_is_shown_as_text_never_interpreted(qtbot, window, tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    markup = ('<b>Bold claim</b> <img src="https://example.invalid/pixel.png"> <script>alert(1)</script>\r\n'
              "Emoji first 😀😀 then the council voted to close the harbour road for the whole of winter.\r\n")
    (folder / "a.txt").write_text("<h1>Harbour</h1>\r\n" + markup * 3, encoding="utf-8")
    (folder / "b.txt").write_text("Other words 🚢 here.\r\n" + markup * 3, encoding="utf-8")
    drop(window, [folder])
    result = wait_for_result(qtbot, window)
    a = next(s.story_id for s in result.stories if s.doc_id.startswith("a.txt"))
    window.select("story", a)
    view = window.document_view
    shown = view.text.toPlainText()
    assert "<script>alert(1)</script>" in shown and '<img src="https://example.invalid/pixel.png">' in shown
    assert view.title.textFormat() == Qt.TextFormat.PlainText
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in view.findChildren(QLabel) if label.text())
    assert view.overlaps, "the two files share their text"
    doc = result.document(result.story(a).doc_id).text  # highlights land on the same words, emoji and CRLF before
    marked = _highlighted(view.text)[-len(view.overlaps):]
    assert [m.split() for m in marked] == [doc[o.start:o.end].split() for o in view.overlaps]


def test_a_file_name_that_looks_like_markup_is_shown_as_written_in_messages(qtbot, window, tmp_path, dialogs):
    odd = tmp_path / '<img src="pixel.png" onerror="x"><b>notes.png'
    odd.write_bytes(b"not an article")
    drop(window, [odd])
    kind, title, text = dialogs.messages[-1]
    assert title == "Cannot scan that"
    shown = QTextDocument()  # what a message box shows: text that might be rich text is read as HTML
    shown.setHtml(text) if GuiQt.mightBeRichText(text) else shown.setPlainText(text)
    assert '<img src="pixel.png" onerror="x"><b>notes.png' in shown.toPlainText()


def test_a_failed_export_says_why_and_leaves_nothing(qtbot, seeded, tmp_path, dialogs):
    dialogs.save_as = str(tmp_path / "missing" / "clusters.csv")
    assert seeded.export("clusters") is None
    kind, _title, text = dialogs.messages[-1]
    assert kind == "critical" and "does not exist" in text and "Nothing was written" in text
    assert not (tmp_path / "missing").exists()


def test_the_gui_command_refuses_a_missing_path(capsys, tmp_path):
    assert gui_main([str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_an_export_that_fails_while_writing_keeps_the_old_file_and_leaves_no_part(qtbot, seeded, tmp_path,
                                                                                   dialogs, monkeypatch):
    import os

    from newsdedup import export

    target = tmp_path / "clusters.csv"
    target.write_text("yesterday's export\n", encoding="utf-8")
    dialogs.save_as = str(target)

    def full_disk(fd, *args, **kwargs):
        os.close(fd)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(export.os, "fdopen", full_disk)
    assert seeded.export("clusters") is None
    kind, _title, text = dialogs.messages[-1]
    assert kind == "critical" and "No space left on device" in text and "Nothing was written" in text
    assert target.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_undated_events_stand_apart_on_the_timeline_and_follow_the_tree(qtbot, window, tmp_path):
    """Two dated stories a year apart and one story without any date: the undated event's mark stands
    right of every dated one, and selecting its story in the tree outlines it."""
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour road closed\n\nPublished 3 March 2023. The council closed the harbour "
                                  "road for the winter after storms broke the sea wall.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Budget passed\n\nPublished 9 April 2024. The city budget passed by one vote "
                                  "after a long night of talks about school buses.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Museum reopens\n\nThe town museum reopened with a new hall for old fishing "
                                  "boats and maps of the bay drawn by sailors.\n", encoding="utf-8")
    drop(window, [folder])
    result = wait_for_result(qtbot, window)
    undated = [e for e in result.events if e.start is None]
    dated = [e for e in result.events if e.start is not None]
    assert undated and dated
    timeline = window.timeline
    rects = {e.event_id: timeline.mark_rect(e.event_id) for e in result.events}
    assert min(rects[e.event_id].left() for e in undated) > max(rects[e.event_id].right() for e in dated)
    window.select("story", undated[0].story_ids[0])
    assert timeline.selected == undated[0].event_id
    qtbot.mouseClick(timeline, LEFT, pos=rects[dated[0].event_id].center().toPoint())
    assert window.tree.currentIndex().data(Qt.ItemDataRole.UserRole + 2) == dated[0].event_id


def test_stock_phrasing_is_shown_but_not_highlighted_as_reuse(qtbot, window, tmp_path):
    # twelve filings share one formula sentence and nothing else: it is shown, dotted, in no passage colour
    formula = ("said it filed a registration statement with the Securities and Exchange Commission covering a "
               "proposed offering of convertible subordinated debentures due 1997 through underwriters led by")
    for k in range(12):
        own = " ".join(f"story{k}word{i}" for i in range(30))
        (tmp_path / f"filing{k:02d}.txt").write_text(f"Company{k} Corp {formula} Bank{k}. {own}.\n",
                                                      encoding="utf-8")
    drop(window, [tmp_path])
    wait_for_result(qtbot, window)
    window.show_pair("filing00.txt#0", "filing01.txt#0")
    pair = window.pair_view
    assert pair.passages and all(p.stock for p in pair.passages)
    assert "stock phrasing" in pair.scores.text() and "not related" in pair.scores.text()
    colours = {QColor(c).name() for c in PASSAGE_COLOURS}
    for side in (pair.left, pair.right):
        shared = [s for s in side.text.extraSelections() if "registration statement" in s.cursor.selectedText()]
        assert shared and all(s.format.background().color().name() not in colours for s in shared)
