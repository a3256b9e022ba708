"""File › Export Report on real widgets: the selected event or all of them, the file written off the GUI
thread, a failure said in a message with nothing written."""

from __future__ import annotations

from gui_helpers import wait_for_result
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu

from newsdedup.gui import plain_text
from newsdedup.report import html as report_html


def _file_menu(window) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "&File")


def _export_report(window) -> QAction:
    menu = _file_menu(window)
    menu.aboutToShow.emit()  # what opening the menu does: the action knows whether there is a result
    action = window.findChild(QAction, "actionExportReport")
    action.trigger()
    return action


def _wait_written(qtbot, window, path):
    qtbot.waitUntil(lambda: "Wrote the report" in window.statusBar().currentMessage(), timeout=60_000)
    assert path.is_file() and str(path) in window.statusBar().currentMessage()
    return path.read_text(encoding="utf-8")


def test_export_report_of_the_selected_event(qtbot, window, seeds_dir, tmp_path, dialogs, monkeypatch):
    _file_menu(window).aboutToShow.emit()
    assert not window.findChild(QAction, "actionExportReport").isEnabled()  # nothing to report yet
    window.add_paths([seeds_dir])
    result = wait_for_result(qtbot, window)
    davos = next(e for e in result.events if "001_290fdad124de14e5.txt#1" in e.story_ids)
    window.select("story", "001_290fdad124de14e5.txt#1")  # a story row: its event is the one selected
    offered = []

    def pick_selected(_parent, title, label, items, *args, **kwargs):
        offered.extend(items)
        return items[1], True
    monkeypatch.setattr(QInputDialog, "getItem", pick_selected)
    dialogs.save_as = str(tmp_path / "davos")  # no suffix: .html is added
    action = _export_report(window)
    assert action.isEnabled()
    assert offered[0] == "All 3 events" and offered[1].startswith("Only the selected event: “")
    page = _wait_written(qtbot, window, tmp_path / "davos.html")
    assert f'id="event-{davos.event_id}"' in page and page.count('<details class="event"') == 1
    assert "1 (selected, of 3)" in page


def test_export_report_of_every_event_when_nothing_is_selected(qtbot, window, seeds_dir, tmp_path, dialogs):
    window.add_paths([seeds_dir])
    wait_for_result(qtbot, window)
    window.tree.selectionModel().clearSelection()
    dialogs.save_as = str(tmp_path / "all.html")
    _export_report(window)
    page = _wait_written(qtbot, window, tmp_path / "all.html")
    assert dialogs.asked == []  # no question when there is no choice to make
    assert page.count('<details class="event"') == 3 and '<details class="pair"' in page
    assert window.settings.value("export/folder") == str(tmp_path)


def test_a_report_that_cannot_be_written_says_so_and_leaves_nothing(qtbot, window, seeds_dir, tmp_path, dialogs):
    window.add_paths([seeds_dir])
    wait_for_result(qtbot, window)
    window.tree.selectionModel().clearSelection()
    (tmp_path / "taken.html").mkdir()  # a folder stands where the file would go
    dialogs.save_as = str(tmp_path / "taken.html")
    _export_report(window)
    qtbot.waitUntil(lambda: any(m[1] == "Export failed" for m in dialogs.messages), timeout=60_000)
    kind, _title, text = next(m for m in dialogs.messages if m[1] == "Export failed")
    assert kind == "critical" and "Nothing was written" in text
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "settings") == ["taken.html"]


def test_the_report_colours_are_the_apps():
    assert report_html.PASSAGE_COLOURS == plain_text.PASSAGE_COLOURS
    assert (report_html.BOILERPLATE_FG, report_html.BOILERPLATE_BG) == (plain_text.BOILERPLATE_FG,
                                                                        plain_text.BOILERPLATE_BG)
