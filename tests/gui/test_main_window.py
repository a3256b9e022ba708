"""The main window on real widgets, as a user works through it: drop, watch, browse, compare, export."""

from __future__ import annotations

import csv

from gui_helpers import drop, large_folder, wait_for_result
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QProgressBar, QPushButton, QTreeView

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.export import CLUSTER_COLUMNS, PAIR_COLUMNS
from newsdedup.gui import create_window
from newsdedup.gui.models import KIND_ROLE
from newsdedup.settings import Settings

A = "000_8d0c082b0df052da.txt#0"
B = "001_290fdad124de14e5.txt#0"
LEFT = Qt.MouseButton.LeftButton


def _event_rows(window) -> int:
    return window.proxy.rowCount()


def _click_row(qtbot, tree: QTreeView, proxy_index) -> None:
    tree.scrollTo(proxy_index)
    rect = tree.visualRect(proxy_index)
    qtbot.mouseClick(tree.viewport(), LEFT,
                     pos=rect.center())


def _highlighted_texts(edit) -> list[str]:
    return [s.cursor.selectedText().replace("\u2029", "\n") for s in edit.extraSelections()]


def test_the_empty_window_invites_a_drop_and_opens_the_sample_in_one_click(qtbot, window):
    assert window.invite.isVisible() and "Drop folders" in window.invite.text()
    button = window.findChild(QPushButton, "openSample")
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, LEFT)
    result = wait_for_result(qtbot, window)
    assert len(result.stories) == 6
    assert window.tree.isVisible() and not window.invite.isVisible()


def test_drop_seeds_then_read_a_story_compare_a_pair_and_export(qtbot, window, seeds_dir, tmp_path, dialogs):
    assert drop(window, [seeds_dir])
    assert window.findChild(QProgressBar, "scanProgress").isVisible()
    result = wait_for_result(qtbot, window)
    assert not window.findChild(QPushButton, "cancelScan").isVisible()
    tree = window.findChild(QTreeView, "eventTree")
    assert _event_rows(window) == len(result.events) >= 1
    assert all(window.proxy.index(r, 0).data(KIND_ROLE) == "event" for r in range(_event_rows(window)))

    _click_row(qtbot, tree, window.proxy.mapFromSource(window.model.index_of("story", A)))
    view = window.document_view
    assert view.isVisible() and view.story.story_id == A
    assert view.overlaps, "000 shares passages with 001"
    marked = " ".join(_highlighted_texts(view.text))
    assert "The front is not moving eastward" in marked

    related = view.related
    ids = [related.topLevelItem(i).data(0, 256) for i in range(related.topLevelItemCount())]
    assert B in ids
    item = related.topLevelItem(ids.index(B))
    related.setCurrentItem(item)
    qtbot.mouseClick(window.document_view.compare_button, LEFT)
    pair = window.pair_view
    assert pair.isVisible() and (pair.a.story_id, pair.b.story_id) == (A, B)
    relation = next(r for r in result.relations if {r.story_a, r.story_b} == {A, B})
    assert f"Jaccard {relation.jaccard:.2f}" in pair.scores.text()
    left, right = _highlighted_texts(pair.left.text), _highlighted_texts(pair.right.text)
    assert any("The front is not moving eastward" in t for t in left)
    assert any("The front is not moving eastwards" in t for t in right)

    dialogs.save_as = str(tmp_path / "clusters.csv")
    window.findChild(type(window.action_export), "actionExportCsv").trigger()
    with open(tmp_path / "clusters.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == CLUSTER_COLUMNS
    assert sorted(r["story_id"] for r in rows) == sorted(s.story_id for s in result.stories)
    dialogs.save_as = str(tmp_path / "pairs")
    window.action_export_pairs.trigger()
    with open(tmp_path / "pairs.csv", encoding="utf-8", newline="") as fh:
        pairs = list(csv.DictReader(fh))
    assert tuple(pairs[0].keys()) == PAIR_COLUMNS and len(pairs) == len(result.relations)
    assert not [m for m in dialogs.messages if m[0] == "critical"]


def test_the_seeds_show_three_events_in_the_tree(qtbot, window, seeds_dir, expected):
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    assert _event_rows(window) == len(expected["events"]) == 3
    # the status line counts in words a reader would write: one partial reuse, not "1 partial reuses"
    status = window.summary.text()  # a permanent status-bar widget: a menu's tip never wipes it
    assert status.startswith("6 stories in 5 documents  ·  3 events  ·  0 groups of copies  ·  1 partial reuse  ·  ")
    assert "0 problems" in status


def test_dropping_more_adds_to_the_set(qtbot, window, seeds_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Storms closed the coast road for a week, the mayor said on Monday. " * 5,
                                    encoding="utf-8")
    drop(window, [seeds_dir])
    first = wait_for_result(qtbot, window)
    drop(window, [other])
    qtbot.waitUntil(lambda: window.result is not first and not window.is_scanning(), timeout=60_000)
    assert len(window.result.stories) == len(first.stories) + 1
    assert window.paths == [seeds_dir, other]


def test_a_drop_anywhere_on_the_window_reaches_the_window(window):
    """Qt hands a drag to the widget under the pointer, or the nearest parent that takes drops."""
    from PySide6.QtWidgets import QWidget

    assert window.acceptDrops()
    takers = [w.objectName() or type(w).__name__ for w in window.findChildren(QWidget) if w.acceptDrops()]
    assert takers == []


def test_thresholds_moved_during_a_scan_apply_when_it_ends(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    assert window.is_scanning()
    window.thresholds.reuse.setValue(0.95)
    wait_for_result(qtbot, window)
    qtbot.waitUntil(lambda: not window.is_scanning() and window.result.settings["duplicates"][
        "partial_reuse_containment"] == 0.95, timeout=30_000)
    assert not any(r.kind == "partial_reuse" for r in window.result.relations)


def test_an_unusable_drop_gets_a_clear_message_and_starts_nothing(qtbot, window, tmp_path, dialogs):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    drop(window, [picture], urls=[QUrl("https://example.com/story.html")])
    assert not window.is_scanning() and window.result is None
    texts = " ".join(m[2] for m in dialogs.messages)
    assert "photo.png" in texts and "web addresses are not fetched" in texts


def test_file_add_folder_scans_the_chosen_folder(qtbot, window, seeds_dir, dialogs):
    dialogs.folder = str(seeds_dir)
    window.findChild(type(window.action_add), "actionAddFolder").trigger()
    assert len(wait_for_result(qtbot, window).stories) == 6


def test_cancel_in_the_middle_of_a_big_scan_keeps_the_old_result(qtbot, window, seeds_dir, tmp_path):
    big = large_folder(tmp_path / "big", files=3000)
    drop(window, [seeds_dir])
    old = wait_for_result(qtbot, window)
    rows = _event_rows(window)
    drop(window, [big])
    progress = window.findChild(QProgressBar, "scanProgress")
    qtbot.waitUntil(lambda: progress.maximum() > 0 and progress.value() > 0, timeout=30_000)
    # the window stays usable while the scan runs: resize it, pick a story of the old result
    window.resize(1000, 700)
    window.select("story", A)
    assert window.document_view.story.story_id == A
    with qtbot.waitSignal(window.jobs.cancelled, timeout=30_000):
        qtbot.mouseClick(window.findChild(QPushButton, "cancelScan"),
                         LEFT)
    assert window.result is old
    assert _event_rows(window) == rows
    assert not progress.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()


def test_an_error_in_the_scan_is_a_message_not_a_crash(qtbot, window, seeds_dir, dialogs):
    window.scan_settings = Settings(duplicates=DuplicateSettings(num_perm=0))  # datasketch refuses this
    with qtbot.waitSignal(window.jobs.failed, timeout=60_000):
        drop(window, [seeds_dir])
    assert dialogs.messages and dialogs.messages[-1][0] == "critical"
    assert "num_perm" in dialogs.messages[-1][2]
    assert window.result is None and window.isVisible()


def test_unreadable_files_are_listed_in_the_problems_panel(qtbot, window, tmp_path, seeds_dir):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "good.txt").write_text((seeds_dir / "004_f3dada96465da5af.txt").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    drop(window, [folder])
    result = wait_for_result(qtbot, window)
    panel = window.problems
    assert panel.isVisible()
    listed = {panel.model.index(r, 0).data() for r in range(panel.model.rowCount())}
    assert {p.path for p in result.problems} <= listed
    assert {"empty.txt", "binary.txt"} <= listed


def test_create_window_scans_the_paths_it_is_given(qtbot, seeds_dir):
    window = create_window([seeds_dir])
    qtbot.addWidget(window)
    assert len(wait_for_result(qtbot, window).stories) == 6


def test_the_things_users_and_tests_look_for_have_stable_names(window):
    for name in ("eventTree", "documentView", "pairView", "timeline", "scanProgress", "cancelScan",
                 "problemsPanel"):
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for name in ("actionAddFolder", "actionExportCsv"):
        assert window.findChild(type(window.action_add), name) is not None, name
