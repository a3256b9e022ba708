"""Thresholds regroup the cached result without reading files; what the window remembers comes back."""

from __future__ import annotations

import shutil

from gui_helpers import drop, wait_for_result
from PySide6.QtWidgets import QDoubleSpinBox

from newsdedup.gui import create_window
from newsdedup.gui.preferences import recent_folders


def _near_duplicate_folder(root, seeds_dir):
    root.mkdir()
    original = (seeds_dir / "003_b2d0903adc2ffcae.txt").read_text(encoding="utf-8")
    (root / "a.txt").write_text(original, encoding="utf-8")
    (root / "b.txt").write_text(original.replace("Luxembourg", "Belgium"), encoding="utf-8")
    shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", root / "c.txt")
    return root


def test_moving_the_copy_threshold_regroups_without_the_files(qtbot, window, tmp_path, seeds_dir):
    folder = _near_duplicate_folder(tmp_path / "desk", seeds_dir)
    drop(window, [folder])
    result = wait_for_result(qtbot, window)
    copies = [g for g in result.groups if len(g.members) == 2]
    assert len(copies) == 1
    jaccard = copies[0].score_of(copies[0].members[1])[1]
    histogram = window.thresholds.histogram
    assert len(histogram.values) >= 1 and histogram.above() == 1
    shutil.rmtree(folder)  # nothing may need the files now

    spin = window.findChild(QDoubleSpinBox, "nearDuplicateThreshold")
    with qtbot.waitSignal(window.jobs.done, timeout=30_000):
        spin.setValue(min(1.0, round(jaccard + 0.01, 2)))
    assert window.result is not result
    assert all(len(g.members) == 1 for g in window.result.groups)
    assert window.result.settings["duplicates"]["near_duplicate_jaccard"] == spin.value()
    assert histogram.above() == 0
    assert window.problems.model.problem_count() == 0  # no file was read again, so none went missing

    again = create_window()  # the next session starts with the same threshold
    qtbot.addWidget(again)
    assert again.findChild(QDoubleSpinBox, "nearDuplicateThreshold").value() == spin.value()


def test_layout_and_recent_folders_come_back_in_the_next_session(qtbot, seeds_dir):
    first = create_window()
    qtbot.addWidget(first)
    first.resize(760, 700)  # inside the offscreen screen (800 x 800), which restoreGeometry keeps to
    first.show()
    drop(first, [seeds_dir])
    wait_for_result(qtbot, first)
    first.main_splitter.setSizes([300, 460])
    left_width = first.main_splitter.sizes()[0]
    first.close()

    second = create_window()
    qtbot.addWidget(second)
    second.show()
    assert str(seeds_dir.resolve()) in recent_folders(second.settings)
    assert second.size() == first.size()
    drop(second, [seeds_dir])
    wait_for_result(qtbot, second)  # the results page, where the splitters are, is now showing
    assert second.main_splitter.sizes()[0] == left_width
    second.recent_menu.aboutToShow.emit()
    assert str(seeds_dir.resolve()) in [a.text() for a in second.recent_menu.actions()]
