"""What a batch job's log shows of a scan: plain progress lines, not silence and not a bar's control codes."""

from __future__ import annotations

import io

from newsdedup.model import Progress
from newsdedup.terminal import progress_reporter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_log_names_each_stage_that_takes_a_while_and_says_when_it_is_done():
    out, clock = io.StringIO(), Clock()
    update, close = progress_reporter(out, clock)
    update(Progress("read", 0, 100))  # at once: not worth a line
    clock.now = 3.0
    update(Progress("stories", 0, 50))
    clock.now = 3.5
    update(Progress("events", 0, 1000))  # a new stage, but the last line is half a second old
    clock.now = 6.0
    update(Progress("events", 10, 1000))
    close()
    lines = out.getvalue().splitlines()
    assert [line.split("] ")[1] for line in lines] == ["stories: 0/50 (0%)", "events: 10/1,000 (1%)", "done"]
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()  # no bar redrawn over itself


def test_a_long_stage_is_reported_again_only_now_and_then():
    out, clock = io.StringIO(), Clock()
    update, close = progress_reporter(out, clock)
    for i in range(1000):
        clock.now = i * 0.1  # a hundred seconds of steady progress
        update(Progress("events", i, 1000))
    close()
    lines = out.getvalue().splitlines()
    assert 9 <= len(lines) <= 11 and lines[-1].endswith("done")  # about one line in ten seconds
    assert "events: 20/1,000 (2%)" in lines[0]


def test_a_scan_that_stops_at_once_prints_no_progress():
    out = io.StringIO()
    update, close = progress_reporter(out, Clock())
    update(Progress("open", 0, 1))
    update(Progress("open", 1, 1))
    close()
    assert out.getvalue() == ""
