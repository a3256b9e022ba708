"""The window at the size of a real folder and a real screen: it fits the screen, keeps its summary,
shows and edits the folder set, reads the tree at a glance (full titles on hover, relations in the row,
double-click for the pair), filters after a pause and says when nothing matches."""

from __future__ import annotations

from gui_helpers import drop, large_folder, wait_for_result
from PySide6.QtCore import QEventLoop, QModelIndex, Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from newsdedup import __version__
from newsdedup.gui import create_window
from newsdedup.gui.context_menus import original_file, tree_menu
from newsdedup.gui.models import RELATION

A = "000_8d0c082b0df052da.txt#0"  # built on B, the AP story
B = "001_290fdad124de14e5.txt#0"
LONE = "004_f3dada96465da5af.txt#0"


def _row(window, story_id):
    return window.proxy.mapFromSource(window.model.index_of("story", story_id))


def test_a_window_saved_on_a_bigger_screen_fits_the_screen_it_opens_on(qtbot):
    first = create_window()
    qtbot.addWidget(first)
    first.show()
    available = first.screen().availableGeometry()
    assert available.contains(first.frameGeometry())  # a first start takes part of the screen
    first.resize(available.width() + 900, available.height() + 500)
    first.close()
    second = create_window()
    qtbot.addWidget(second)
    second.show()
    assert second.screen().availableGeometry().contains(second.frameGeometry())


def test_the_summary_stays_in_the_status_bar_whatever_a_menu_says(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    line = window.summary.text()
    assert line.startswith("6 stories in 5 documents")
    window.statusBar().showMessage("Open a workspace file")  # what hovering a menu entry does
    window.statusBar().clearMessage()
    assert window.summary.isVisible() and window.summary.text() == line


def test_the_folder_set_is_listed_and_a_folder_can_be_removed(qtbot, window, seeds_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Storms closed the coast road for a week, the mayor said on Monday. " * 5,
                                    encoding="utf-8")
    drop(window, [seeds_dir, other])
    assert len(wait_for_result(qtbot, window).stories) == 7
    folders = window.results.folders
    assert folders.folders() == ["seeds", "other"]
    folders.list.setCurrentRow(1)
    before = window.result
    qtbot.mouseClick(folders.findChild(QPushButton, "removeFolderButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result is not before and not window.is_scanning(), timeout=60_000)
    assert len(window.result.stories) == 6 and window.paths == [seeds_dir]
    assert folders.folders() == ["seeds"]


def test_a_cancelled_add_leaves_the_set_as_it_was(qtbot, window, seeds_dir, tmp_path):
    big = large_folder(tmp_path / "big", files=3000)
    drop(window, [seeds_dir])
    old = wait_for_result(qtbot, window)
    drop(window, [big])
    assert "(scanning…)" in window.results.folders.folders()[1]
    with qtbot.waitSignal(window.jobs.cancelled, timeout=30_000):
        window.cancel_scan()
    assert window.paths == [seeds_dir] and window.result is old
    assert window.results.folders.folders() == ["seeds"]


def test_a_first_scan_shows_its_progress_in_the_middle_of_the_window(qtbot, window, tmp_path):
    big = large_folder(tmp_path / "big", files=3000)
    drop(window, [big])
    page = window.invite_page
    qtbot.waitUntil(lambda: page.progress.isVisible() and page.progress.maximum() > 0, timeout=30_000)
    assert "Drop folders" not in window.invite.text() and not window.sample_button.isVisible()
    with qtbot.waitSignal(window.jobs.cancelled, timeout=30_000):
        window.cancel_scan()
    assert "Drop folders" in window.invite.text() and not page.progress.isVisible()


def test_rows_show_full_titles_on_hover_and_how_a_story_relates(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    result = wait_for_result(qtbot, window)
    row = _row(window, A)
    tip = row.data(Qt.ItemDataRole.ToolTipRole)
    assert result.story(A).title in tip and result.story(B).title in tip and "Built on" in tip
    assert row.siblingAtColumn(RELATION).data() == "built on one"
    assert _row(window, B).siblingAtColumn(RELATION).data() == "source of one"
    lone = _row(window, LONE)  # a story without copies sits right under its event
    assert lone.parent().data(Qt.ItemDataRole.UserRole + 1) == "event"


def test_a_double_click_on_a_story_opens_it_side_by_side_with_its_source(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    row = _row(window, A)
    window.tree.scrollTo(row)
    where = window.tree.visualRect(row).center()
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click's first press
    qtbot.mouseDClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    pair = window.pair_view
    assert pair.isVisible() and (pair.a.story_id, pair.b.story_id) == (B, A)  # the source on the left


def test_the_filter_waits_for_a_pause_searches_story_text_and_says_no_matches(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    result = wait_for_result(qtbot, window)
    events = window.proxy.rowCount()
    word = "eastward"  # in the text of 000 and 001, in no title
    assert not any(word in s.title.lower() for s in result.stories)
    qtbot.keyClicks(window.filter_box, word)
    assert window.proxy.rowCount() == events  # not on every keystroke
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=2_000)
    assert {A, B} <= {window.model.first_story("story", s) for s in (A, B) if _row(window, s).isValid()}
    no_matches = window.findChild(QLabel, "noMatches")
    assert not no_matches.isVisible()
    window.filter_box.setText("xyzzy-no-story-says-this")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0, timeout=2_000)
    assert no_matches.isVisible() and "No matches" in no_matches.text()


def test_a_lone_story_offers_story_actions_and_opens_its_original_file(qtbot, window, seeds_dir, monkeypatch):
    drop(window, [seeds_dir])
    result = wait_for_result(qtbot, window)
    menu = tree_menu(window, _row(window, LONE))
    texts = [a.text() for a in menu.actions()]
    assert "Move story to event…" in texts and "Rename event…" in texts
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    next(a for a in menu.actions() if a.text() == "Open original file").trigger()
    assert opened == [str(seeds_dir / "004_f3dada96465da5af.txt")]
    assert original_file(result, LONE).read_bytes() == (seeds_dir / "004_f3dada96465da5af.txt").read_bytes()


def test_help_about_names_the_version_and_the_licence(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, title, text: shown.append((title, text)))
    window.findChild(type(window.action_add), "actionAbout").trigger()
    assert __version__ in shown[0][1] and "MIT" in shown[0][1]


def test_the_legend_of_the_story_before_never_stays_on_screen(qtbot, window, seeds_dir):
    """A context menu's loop holds back deferred deletes: the old legend must be hidden at once."""
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    window.select("story", A)
    qtbot.wait(10)
    old = [w for w in window.document_view.legend.findChildren(QLabel) if "shared with" in w.text()]
    assert old and all(w.isVisible() for w in old)
    nested = QEventLoop()  # as a context menu's own loop: deletes asked for inside it wait until it ends

    def inside():
        window.select("story", LONE)
        seen.extend(w.isVisible() for w in old)
        nested.quit()
    seen: list[bool] = []
    QTimer.singleShot(0, inside)
    nested.exec()
    assert seen and not any(seen)


def test_an_empty_problems_panel_says_so(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    window.problems.toggleViewAction().trigger()
    none = window.problems.findChild(QLabel, "noProblems")
    assert none.isVisible() and "No problems" in none.text()
    assert window.problems.height() < window.height() / 2


def test_rows_arrive_in_batches_and_pass_qtmodeltester(qtmodeltester, seeds_result, monkeypatch):
    from newsdedup.gui import models

    monkeypatch.setattr(models, "BATCH", 2)
    model = models.ResultTreeModel()
    model.set_result(seeds_result)
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3 and not model.canFetchMore(QModelIndex())
    assert model.index_of("story", LONE).isValid()
