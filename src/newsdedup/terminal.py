"""What the command line shows of a scan's progress on stderr: a bar per stage on a terminal, plain
periodic lines elsewhere (a batch job's log, a pipe), so a long scan is never silent in either."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from newsdedup.model import Progress

LINE_EVERY_SECONDS = 10.0  # in a log: a line a stage, then one this often while it runs


def progress_reporter(stream: TextIO | None = None) -> tuple[Callable[[Progress], None], Callable[[], None]]:
    """(update, close): ``update`` takes each Progress of a stage, ``close`` ends the display."""
    stream = stream if stream is not None else sys.stderr
    if stream.isatty():
        return _bar(stream)
    return _lines(stream)


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


def _lines(stream: TextIO, every: float = LINE_EVERY_SECONDS):
    state: dict = {"stage": None, "last": 0.0, "started": time.monotonic()}

    def update(p: Progress) -> None:
        now = time.monotonic()
        if p.stage == state["stage"] and now - state["last"] < every:
            return
        state["stage"], state["last"] = p.stage, now
        share = f" ({100 * p.done // p.total}%)" if p.total else ""
        of = f"/{p.total:,}" if p.total else ""
        print(f"[{now - state['started']:7.1f} s] {p.stage}: {p.done:,}{of}{share}", file=stream, flush=True)

    def close() -> None:
        if state["stage"] is not None:
            print(f"[{time.monotonic() - state['started']:7.1f} s] done", file=stream, flush=True)

    return update, close
