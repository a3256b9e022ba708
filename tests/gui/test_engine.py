"""The window's jobs run in the engine process: values come back whole and once, Cancel stops the work
there, and an engine process that dies is a message in the window, never a hang."""

from __future__ import annotations

import os
import signal
import time
from functools import partial
from pathlib import Path

import pytest
from gui_helpers import drop, large_folder, wait_for_result
from PySide6.QtWidgets import QLabel

from newsdedup.gui.engine import Engine, StageFailed
from newsdedup.model import finish
from newsdedup.pipeline import run_scan
from newsdedup.search import build_search_index
from newsdedup.settings import Settings

A = "000_8d0c082b0df052da.txt#0"  # the seeds' story whose text says "eastward"


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_value_comes_back_once_and_is_sent_back_by_reference(seeds_dir):
    engine = Engine()
    try:
        result = finish(engine.run(partial(run_scan, [seeds_dir], Settings())))
        assert len(result.stories) == 6
        index = finish(engine.run(partial(build_search_index, result)))
        # the index was made in the engine from the result it kept, and names the window's own result
        assert index.result is result
        assert A in index.matching("eastward")
    finally:
        engine.shutdown()


def test_an_error_in_the_engine_comes_back_with_its_traceback(tmp_path):
    engine = Engine()
    try:
        with pytest.raises(StageFailed) as failed:
            finish(engine.run(partial(build_search_index, "not a result")))
        assert "AttributeError" in str(failed.value) and "build_search_index" in failed.value.trace
    finally:
        engine.shutdown()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from /proc")
def test_cancel_stops_the_scan_in_the_engine_process(qtbot, window, tmp_path):
    big = large_folder(tmp_path / "big", files=3000)
    drop(window, [big])
    progress = window.jobs.progress
    qtbot.waitUntil(lambda: progress.maximum() > 0 and progress.value() > 0, timeout=60_000)
    engine = window.jobs.engine
    pid = engine._process.pid
    with qtbot.waitSignal(window.jobs.cancelled, timeout=30_000):
        window.cancel_scan()
    qtbot.waitUntil(lambda: not engine._lock.locked(), timeout=10_000)  # the job let go of the engine
    before = _cpu_seconds(pid)
    time.sleep(1.0)
    assert _cpu_seconds(pid) - before < 0.2  # the engine process is idle: the scan stopped there


def test_an_engine_process_that_dies_is_a_message_and_the_next_scan_works(qtbot, window, tmp_path, seeds_dir,
                                                                            dialogs):
    big = large_folder(tmp_path / "big", files=3000)
    drop(window, [big])
    progress = window.jobs.progress
    qtbot.waitUntil(lambda: progress.maximum() > 0 and progress.value() > 0, timeout=60_000)
    with qtbot.waitSignal(window.jobs.failed, timeout=30_000):
        os.kill(window.jobs.engine._process.pid, signal.SIGKILL)
    assert dialogs.messages[-1][0] == "critical" and "stopped unexpectedly" in dialogs.messages[-1][2]
    assert window.result is None and window.paths == []  # the failed add left the set as it was
    drop(window, [seeds_dir])
    assert len(wait_for_result(qtbot, window).stories) == 6


def test_the_filter_searches_titles_until_the_word_index_arrives_then_the_texts(qtbot, window, seeds_dir):
    drop(window, [seeds_dir])
    wait_for_result(qtbot, window)
    index = window.model.search
    assert index is not None and index.result is window.result  # the index came back by reference
    window.model.set_search(None)  # as just after a scan, before the index job ended
    window.filter_box.setText("eastward")  # in the text of 000 and 001, in no title
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0, timeout=2_000)
    note = window.findChild(QLabel, "noMatches")
    assert note.isVisible() and "as soon as their words are read" in note.text()
    window.search_changed(index)  # the index arrives: the filter runs again, through the texts
    assert window.proxy.rowCount() == 1 and not note.isVisible()
