"""What a batch job's log shows of a scan: plain progress lines, not silence and not a bar's control codes."""

from __future__ import annotations

import io

from newsdedup.cli import main
from newsdedup.model import Progress
from newsdedup.terminal import progress_reporter


def test_a_log_gets_a_plain_line_for_every_stage(capsys):
    assert main(["scan", "seeds"]) == 0
    log = capsys.readouterr().err
    for stage in ("read:", "stories:", "signatures:", "events:"):
        assert stage in log
    assert "\r" not in log and "\x1b" not in log  # no bar redrawn over itself in a file


def test_a_long_stage_is_reported_again_only_now_and_then():
    out = io.StringIO()
    update, close = progress_reporter(out)
    for i in range(1000):
        update(Progress("events", i, 1000))
    close()
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("events: 0/1,000 (0%)") and lines[-1].endswith("done")
    assert len(lines) == 2  # a thousand quick steps are one line, not a thousand
