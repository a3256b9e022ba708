"""What the command line shows of a scan's progress on stderr: a bar per stage on a terminal, plain
periodic lines elsewhere (a batch job's log, a pipe), so a long scan is never silent in either."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from newsdedup.model import Progress

# in a log: a line when a stage has begun and the last line is this old, and one this often while a stage runs
NEW_STAGE_SECONDS = 2.0
LINE_EVERY_SECONDS = 10.0


def progress_reporter(stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic
                      ) -> tuple[Callable[[Progress], None], Callable[[], None]]:
    """(update, close): ``update`` takes each Progress of a stage, ``close`` ends the display."""
    stream = stream if stream is not None else sys.stderr
    if stream.isatty():
        return _bar(stream)
    return _lines(stream, clock)


def _bar(stream: TextIO):
    from tqdm import tqdm

    state: dict = {"bar": None, "stage": None}

    def update(p: Progress) -> None:
        if state["stage"] != p.stage:
            if state["bar"] is not None:
                state["bar"].close()
            state["bar"] = tqdm(total=p.total or None, desc=p.stage, unit="", leave=False, file=stream)
            state["stage"] = p.stage
        bar = state["bar"]
        if p.total and bar.total != p.total:
            bar.total = p.total
        bar.n = p.done
        bar.refresh()

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].close()

    return update, close


def _lines(stream: TextIO, clock: Callable[[], float] = time.monotonic):
    """A line when a new stage has run for ``NEW_STAGE_SECONDS`` since the last line, else every
    ``LINE_EVERY_SECONDS``: a quick scan (or one that stops at once with an error) prints no progress."""
    state: dict = {"stage": None, "last": None, "printed": False, "started": None}  # stage: of the last line

    def update(p: Progress) -> None:
        now = clock()
        if state["started"] is None:  # from the first report: opening and imports are not the scan
            state["started"] = state["last"] = now
        started = state["started"]
        wait = NEW_STAGE_SECONDS if p.stage != state["stage"] else LINE_EVERY_SECONDS
        if now - state["last"] < wait:
            return
        state["stage"], state["last"], state["printed"] = p.stage, now, True
        share = f" ({100 * p.done // p.total}%)" if p.total else ""
        of = f"/{p.total:,}" if p.total else ""
        print(f"[{now - started:7.1f} s] {p.stage}: {p.done:,}{of}{share}", file=stream, flush=True)

    def close() -> None:
        if state["printed"]:
            print(f"[{clock() - state['started']:7.1f} s] done", file=stream, flush=True)
            state["printed"] = False  # closed once, however often it is called

    return update, close
