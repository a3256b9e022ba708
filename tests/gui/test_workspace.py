"""Workspaces in the desktop app: make one, correct the result, undo and redo, reopen it later.

Real widgets, a real SQLite file in the test's folder, real files on disk; answers to questions are given
through the window's ``Ask`` and the patched dialogs, so nothing waits on a dialog.
"""

from __future__ import annotations

from gui_helpers import drop, wait_for_result
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from newsdedup.gui import create_window
from newsdedup.gui.context_menus import pair_menu, tree_menu
from newsdedup.gui.models import EDITED_ROLE

COPY = "copy.txt#0"
ORIGINAL = "003_b2d0903adc2ffcae.txt#0"
LONE = "004_f3dada96465da5af.txt#0"


def _group_of(result, story_id):
    return next(g for g in result.groups if story_id in g.members)


def _event_of(result, story_id):
    return next(e for e in result.events if story_id in e.story_ids)


def _choose(menu, text):
    action = next((a for a in menu.actions() if a.text() == text), None)
    assert action is not None, [a.text() for a in menu.actions()]
    return action


def _decided(qtbot, window, trigger):
    with qtbot.waitSignal(window.jobs.done, timeout=60_000,
                          check_params_cb=lambda kind, _value: kind == "decisions"):
        trigger()
    return window.result


def _tree_menu(window, kind, ident):
    return tree_menu(window, window.proxy.mapFromSource(window.model.index_of(kind, ident)))


def _workspace_on(qtbot, window, desk, path, dialogs):
    drop(window, [desk])
    wait_for_result(qtbot, window)
    dialogs.save_as = str(path)
    scanned = window.result
    window.findChild(QAction, "actionNewWorkspace").trigger()
    qtbot.waitUntil(lambda: window.result is not scanned and not window.is_scanning(), timeout=60_000)
    assert path.is_file() and window.session.workspace.path == path
    return window.result


def test_a_decision_applies_at_once_undoes_redoes_and_survives_reopening(qtbot, window, desk, tmp_path, dialogs):
    path = tmp_path / "desk.newsdedup"
    result = _workspace_on(qtbot, window, desk, path, dialogs)
    assert set(_group_of(result, COPY).members) == {ORIGINAL, COPY}
    shown_copy = [s for s in _group_of(result, COPY).members if s != _group_of(result, COPY).canonical][0]

    menu = _tree_menu(window, "story", shown_copy)
    result = _decided(qtbot, window, _choose(menu, "Not a duplicate of its group's original").trigger)
    assert len(_group_of(result, COPY).members) == 1 and len(_group_of(result, ORIGINAL).members) == 1
    row = window.model.index_of("story", shown_copy)
    assert "not_duplicate" in row.data(EDITED_ROLE)
    assert row.data(Qt.ItemDataRole.FontRole).italic()
    assert "not a duplicate" in row.data(Qt.ItemDataRole.ToolTipRole)

    undo, redo = window.findChild(QAction, "actionUndo"), window.findChild(QAction, "actionRedo")
    assert undo.shortcut().matches(Qt.Modifier.CTRL | Qt.Key.Key_Z)
    result = _decided(qtbot, window, undo.trigger)
    assert set(_group_of(result, COPY).members) == {ORIGINAL, COPY}
    assert not window.model.index_of("story", shown_copy).data(EDITED_ROLE)
    assert window.session.workspace.decisions() == []
    result = _decided(qtbot, window, redo.trigger)
    assert len(_group_of(result, COPY).members) == 1

    window.ask.answers = ["Harbour talks"]
    menu = _tree_menu(window, "event", _event_of(result, LONE).event_id)
    result = _decided(qtbot, window, _choose(menu, "Rename event…").trigger)
    assert _event_of(result, LONE).label == "Harbour talks"
    assert window.model.index_of("event", _event_of(result, LONE).event_id).data() == "Harbour talks"
    assert dialogs.asked == []
    window.close()

    again = create_window()
    qtbot.addWidget(again)
    again.show()
    dialogs.open = str(path)
    again.findChild(QAction, "actionOpenWorkspace").trigger()
    reopened = wait_for_result(qtbot, again)
    assert len(_group_of(reopened, COPY).members) == 1
    assert _event_of(reopened, LONE).label == "Harbour talks"
    assert "not_duplicate" in again.model.index_of("story", shown_copy).data(EDITED_ROLE)
    again.workspace_actions.recent_menu.aboutToShow.emit()
    assert str(path.resolve()) in [a.text() for a in again.workspace_actions.recent_menu.actions()]


def test_event_decisions_from_the_tree_and_the_pair_view(qtbot, window, desk, tmp_path, dialogs):
    result = _workspace_on(qtbot, window, desk, tmp_path / "events.newsdedup", dialogs)
    a, b = "000_8d0c082b0df052da.txt#0", "001_290fdad124de14e5.txt#0"
    assert _event_of(result, a) == _event_of(result, b)
    window.show_pair(a, b)
    result = _decided(qtbot, window, _choose(pair_menu(window), "Not the same event").trigger)
    assert _event_of(result, a) != _event_of(result, b)

    target = _event_of(result, LONE)
    window.ask.answers = [f"{target.label} ({len(target.story_ids)})"]
    menu = _tree_menu(window, "story", a)
    result = _decided(qtbot, window, _choose(menu, "Move story to event…").trigger)
    assert a in _event_of(result, target.story_ids[0]).story_ids  # with the story the event was chosen by
    assert "moved" in window.model.index_of("story", a).data(EDITED_ROLE)

    window.ask.answers = []  # a question the user cancels decides nothing
    menu = _tree_menu(window, "event", _event_of(result, a).event_id)
    before = len(window.session.workspace.decisions())
    _choose(menu, "Rename event…").trigger()
    assert dialogs.asked == ["Rename event"] and len(window.session.workspace.decisions()) == before


def test_a_correction_without_a_workspace_asks_for_one_first(qtbot, window, desk, tmp_path, dialogs):
    drop(window, [desk])
    wait_for_result(qtbot, window)
    dialogs.save_as = str(tmp_path / "asked")
    window.show_pair("000_8d0c082b0df052da.txt#0", "001_290fdad124de14e5.txt#0")
    menu = pair_menu(window)
    _choose(menu, "Not the same event").trigger()
    assert dialogs.messages[-1][1] == "Corrections need a workspace"
    assert (tmp_path / "asked.newsdedup").is_file()
    qtbot.waitUntil(lambda: not window.is_scanning(), timeout=60_000)
    assert len(window.session.workspace.decisions()) == 1


def test_opening_a_file_that_is_not_a_workspace_says_so_and_changes_nothing(qtbot, window, tmp_path, dialogs):
    bogus = tmp_path / "notes.newsdedup"
    bogus.write_bytes(b"just some notes, not a database\n")
    dialogs.open = str(bogus)
    window.findChild(QAction, "actionOpenWorkspace").trigger()
    assert dialogs.messages[-1][0] == "critical" and "notes.newsdedup" in dialogs.messages[-1][2]
    assert bogus.read_bytes() == b"just some notes, not a database\n"
    assert window.session.workspace is None and not window.is_scanning()


def test_boilerplate_corrections_from_the_story_text(qtbot, window, desk, tmp_path, dialogs):
    from newsdedup.gui.context_menus import story_text_menu

    _workspace_on(qtbot, window, desk, tmp_path / "furniture.newsdedup", dialogs)
    story = "001_290fdad124de14e5.txt#0"
    window.select("story", story)
    view = window.document_view
    span = next(b for b in window.result.story(story).boilerplate
                if "More Images" in window.result.document(window.result.story(story).doc_id).text[b.start:b.end])
    cursor = view.text.textCursor()
    cursor.setPosition(view.shown.position(span.start) + 1)
    view.text.setTextCursor(cursor)
    view.text.ensureCursorVisible()
    where = view.text.cursorRect(cursor).center()
    result = _decided(qtbot, window, _choose(story_text_menu(window, where), "This boilerplate is story text").trigger)
    kept = next(b for b in result.story(story).boilerplate if b.start == span.start)
    assert kept.kept and "text_after_all" in window.model.index_of("story", story).data(EDITED_ROLE)
    window.select("story", story)
    greyed = [s.cursor.selectedText() for s in view.text.extraSelections() if s.format.fontItalic()]
    assert not any("More Images" in t for t in greyed)  # shown as story text now

    result = _decided(qtbot, window, window.findChild(QAction, "actionUndo").trigger)
    assert not any(b.kept for b in result.story(story).boilerplate)


def test_a_rescan_reads_only_the_new_file_and_keeps_the_decisions(qtbot, window, desk, tmp_path, dialogs):
    _workspace_on(qtbot, window, desk, tmp_path / "rescan.newsdedup", dialogs)
    copy_of = [s for s in _group_of(window.result, COPY).members if s != _group_of(window.result, COPY).canonical][0]
    original = _group_of(window.result, COPY).canonical
    _decided(qtbot, window, _choose(_tree_menu(window, "story", copy_of), "Not a duplicate of its group's original"
                                    ).trigger)
    (desk / "late.txt").write_text("Ferry strike ends\n\nThe ferry crews went back to work on Friday after the "
                                   "union and the port agreed on new rotas for the winter months.\n",
                                   encoding="utf-8")
    before = window.result
    window.findChild(QAction, "actionRescanWorkspace").trigger()
    qtbot.waitUntil(lambda: window.result is not before and not window.is_scanning(), timeout=60_000)
    assert "late.txt#0" in {s.story_id for s in window.result.stories}
    assert "1 new" in window.statusBar().currentMessage() and "6 unchanged" in window.statusBar().currentMessage()
    assert _group_of(window.result, copy_of) != _group_of(window.result, original)
    assert "not_duplicate" in window.model.index_of("story", copy_of).data(EDITED_ROLE)


def test_a_decision_made_during_a_scan_is_applied_when_the_scan_ends(qtbot, window, desk, tmp_path, dialogs):
    from newsdedup.corrections.decisions import NotSameEvent

    _workspace_on(qtbot, window, desk, tmp_path / "busy.newsdedup", dialogs)
    a, b = "000_8d0c082b0df052da.txt#0", "001_290fdad124de14e5.txt#0"
    window.start_scan()
    assert window.is_scanning()
    window.session.decide(NotSameEvent(a, b), "Not the same event")
    assert window.jobs.running("scan")  # the scan goes on
    qtbot.waitUntil(lambda: not window.is_scanning() and _event_of(window.result, a) != _event_of(window.result, b),
                    timeout=60_000)
    qtbot.waitUntil(lambda: window.similarities is not None, timeout=60_000)


def test_save_as_carries_the_decisions_to_the_new_file_and_keeps_working_there(qtbot, window, desk, tmp_path,
                                                                               dialogs):
    from newsdedup.corrections.decisions import NotSameEvent
    from newsdedup.workspace.store import Workspace

    first = tmp_path / "first.newsdedup"
    _workspace_on(qtbot, window, desk, first, dialogs)
    a, b = "000_8d0c082b0df052da.txt#0", "001_290fdad124de14e5.txt#0"
    _decided(qtbot, window, lambda: window.session.decide(NotSameEvent(a, b), "Not the same event"))
    dialogs.save_as = str(tmp_path / "second")
    window.findChild(QAction, "actionSaveWorkspaceAs").trigger()
    second = tmp_path / "second.newsdedup"
    assert window.session.workspace.path == second and "second.newsdedup" in window.windowTitle()
    _decided(qtbot, window, lambda: window.session.decide(NotSameEvent(a, LONE), "Not the same event"))
    with Workspace.open(second) as ws:
        assert len(ws.decisions()) == 2
    with Workspace.open(first) as ws:
        assert len(ws.decisions()) == 1  # the old file stays as it was saved
