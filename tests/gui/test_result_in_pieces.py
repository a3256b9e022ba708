"""A result that comes back from the engine in pieces shows the same tree and timeline as the same scan
run in the window's own process; a Cancel or a new scan while the pieces arrive leaves no mixture."""

from __future__ import annotations

import threading

import pytest
from gui_helpers import drop, large_folder, wait_for_result
from PySide6.QtCore import QModelIndex

from newsdedup.gui import create_window
from newsdedup.gui.engine import Engine
from newsdedup.gui.models import COLUMNS
from newsdedup.model import finish
from newsdedup.pipeline import run_scan


def _rows(window) -> list[tuple]:
    """Every row of the tree as a reader sees it: its cells, and the cells of the rows in it."""
    proxy, out = window.proxy, []
    while proxy.canFetchMore(QModelIndex()):
        proxy.fetchMore(QModelIndex())

    def walk(parent, depth):
        for r in range(proxy.rowCount(parent)):
            index = proxy.index(r, 0, parent)
            out.append((depth, *(proxy.index(r, c, parent).data() for c in range(len(COLUMNS)))))
            walk(index, depth + 1)
    walk(QModelIndex(), 0)
    return out


def _marks(window) -> list[tuple]:
    plan = window.timeline.layout_plan()
    return [(m.event_id, m.rect.getRect()) for m in plan.marks] + [(b.first, b.stories) for b in plan.bars]


@pytest.fixture
def pieces(monkeypatch):
    """Counts the pieces the window's side reads (the real reading, counted)."""
    read = []
    original = Engine._read_piece

    def counted(reader, message):
        read.append(message[2][0])
        original(reader, message)
    monkeypatch.setattr(Engine, "_read_piece", staticmethod(counted))
    return read


def test_a_result_in_pieces_shows_as_the_same_scan_run_here(qtbot, window, tmp_path, pieces):
    folder = large_folder(tmp_path / "big", files=600)
    drop(window, [folder])
    result = wait_for_result(qtbot, window, timeout=240_000)
    assert len(pieces) > 3  # the result did come in pieces
    here = finish(run_scan([folder], window.scan_settings))
    assert result == here
    other = create_window()
    qtbot.addWidget(other)
    other.resize(window.size())
    other.show()
    other.show_result(here)
    qtbot.waitUntil(lambda: bool(other.timeline.events))  # the timeline fills a turn after the tree
    assert _rows(window) == _rows(other)
    assert window.timeline.data.by_id.keys() == other.timeline.data.by_id.keys()
    assert _marks(window) == _marks(other)


@pytest.fixture
def held(monkeypatch):
    """Holds the window's side in its second piece until the test lets go: the moment to act."""
    reached, go = threading.Event(), threading.Event()
    original = Engine._read_piece
    count = []

    def holding(reader, message):
        original(reader, message)
        count.append(1)
        if len(count) == 2:
            reached.set()
            go.wait(60)
    monkeypatch.setattr(Engine, "_read_piece", staticmethod(holding))
    return reached, go


def test_cancel_while_the_pieces_arrive_keeps_the_result_shown_before(qtbot, window, tmp_path, seeds_dir, held):
    drop(window, [seeds_dir])  # small: one message, no pieces
    before = wait_for_result(qtbot, window)
    rows = _rows(window)
    reached, go = held
    drop(window, [large_folder(tmp_path / "big", files=300)])
    qtbot.waitUntil(reached.is_set, timeout=240_000)
    with qtbot.waitSignal(window.jobs.cancelled, timeout=30_000):
        window.cancel_scan()
        go.set()
    qtbot.waitUntil(lambda: not window.jobs.engine._lock.locked(), timeout=30_000)
    assert window.result is before and _rows(window) == rows
    assert window.paths == [seeds_dir]  # the cancelled add left the set as it was
    window.regroup()  # a threshold moved: the shown result goes to the engine by number, and back
    qtbot.waitUntil(lambda: not window.is_scanning() and window.result is not before, timeout=60_000)
    assert window.result.documents is before.documents  # both sides still keep the same values


def test_a_new_scan_while_the_pieces_arrive_shows_only_the_new_result(qtbot, window, tmp_path, seeds_dir, held):
    reached, go = held
    big = large_folder(tmp_path / "big", files=300)
    drop(window, [big])
    qtbot.waitUntil(reached.is_set, timeout=240_000)
    drop(window, [seeds_dir])  # the big folder's transfer is replaced, in the middle, by a scan of both
    go.set()
    result = wait_for_result(qtbot, window, timeout=240_000)
    assert {d.root for d in result.documents} == {str(big), str(seeds_dir)}
    rows = _rows(window)
    assert sum(depth == 0 for depth, *_ in rows) == len(result.events)
    assert window.timeline.data.by_id.keys() == {e.event_id for e in result.events}
