"""How long the desktop app stops answering, from dropping a folder to seeing its result in the tree.

A probe (a QTimer firing every ``--tick`` ms on the GUI thread) records the largest gap between two of
its ticks: while the event loop is stalled, nothing repaints and no click is answered. The real main
window is shown offscreen, the folder (or .jsonl file) is dropped on it as a file manager drops it, and
the probe runs until the scan, the scoring that follows it and the filling of the tree have all ended.
The same probe first runs on the idle window, in the same invocation: that is the baseline a reader
compares with (a busy machine stalls even an idle app a little). A second baseline runs it while a
thread loops in plain Python: what a worker that lets go of the GIL at every switch interval costs the
GUI thread. A third runs it while another process loops (at the engine's nice level): what sharing the
cores with the engine process costs, with no interpreter lock between them; on a machine busy with other
programs this is the floor the scan's figure is to be read against.

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_stall.py FOLDER_OR_JSONL [--idle 3] [--tick 5] [--thread]
        [--type "prime minister" --type football]

``--type WORDS`` (repeatable) then types each into the filter box a key every 150 ms, as a person types,
once the filter's word index has arrived, waits for the tree to show the matches, clears the box, and
reports the worst stall while typing and the GUI thread's longest work then (the filter's goal: a
keystroke never holds the window more than 50 ms at 50,000 stories).

The jobs run in the engine process (``gui.engine``), as in the app; ``--thread`` runs them on a worker
thread of the window's process instead, as the app did before, to compare.

Prints the worst stall and the number of stalls over 50 ms and 100 ms, idle and from drop to result,
and how long the GUI thread spent in ``show_result`` (putting the result into the models and views).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


class Probe:
    """Ticks of a QTimer on the GUI thread; a gap between ticks longer than the tick is a stall."""

    def __init__(self, tick_ms: int, stage=lambda: "") -> None:
        from PySide6.QtCore import Qt, QTimer

        self.tick = tick_ms / 1000
        self.ticks: list[float] = []
        self.cpu: list[tuple[float, float]] = []  # CPU time of the GUI thread and of the process at each tick
        self.stages: list[str] = []  # what the status bar said at each tick: where a stall began
        self.stage = stage
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append((time.thread_time(), time.process_time()))
        self.stages.append(self.stage())

    def start(self) -> None:
        self.ticks, self.stages = [time.perf_counter()], [self.stage()]
        self.cpu = [(time.thread_time(), time.process_time())]
        self.timer.start()

    def causes(self, over: float = 0.05) -> str:
        """The stalls over ``over`` seconds by what the GUI thread waited for: its own work (on the CPU
        for half the stall or more), the interpreter lock (other threads of the process ran for half of
        it or more), or a core (the machine gave the process little CPU: other programs ran)."""
        own = lock = core = 0
        for i in range(1, len(self.ticks)):
            gap = self.ticks[i] - self.ticks[i - 1] - self.tick
            if gap <= over:
                continue
            gui, proc = (self.cpu[i][k] - self.cpu[i - 1][k] for k in (0, 1))
            if gui >= gap / 2:
                own += 1
            elif proc - gui >= gap / 2:
                lock += 1
            else:
                core += 1
        return (f"stalls over {over * 1000:.0f} ms by cause: the GUI thread's own work {own}, "
                f"the interpreter lock (other threads of the window's process) {lock}, waiting for a core {core}")

    def worst(self, n: int = 5) -> list[str]:
        """The ``n`` longest stalls: the stage shown when each began, and the CPU time the GUI thread and
        the whole window's process got during it. A stall the GUI thread spent working is its own work;
        one where the process got little CPU was waiting for the machine (other programs on the cores),
        one where other threads of the process ran was waiting for the interpreter lock."""
        gaps = sorted(range(1, len(self.ticks)), key=lambda i: self.ticks[i - 1] - self.ticks[i])[:n]
        out = []
        for i in gaps:
            gap = self.ticks[i] - self.ticks[i - 1] - self.tick
            gui, proc = (self.cpu[i][k] - self.cpu[i - 1][k] for k in (0, 1))
            out.append(f"{gap * 1000:.0f} ms ({self.stages[i - 1] or '(no job)'}: GUI thread on CPU {gui * 1000:.0f} ms, "
                       f"the window's process {proc * 1000:.0f} ms)")
        return out

    def longest_work(self, shown: list[float]) -> tuple[float, str]:
        """The most CPU time the GUI thread spent between two ticks: its own longest piece of work,
        which a busy machine stretches in wall time but does not make (seconds), and the stage then."""
        if len(self.cpu) < 2:
            return 0.0, ""
        i = max(range(1, len(self.cpu)), key=lambda i: self.cpu[i][0] - self.cpu[i - 1][0])
        a, b = self.ticks[i - 1], self.ticks[i]
        stage = "show_result" if any(a <= t <= b for t in shown) else self.stages[i - 1] or "(no job)"
        return self.cpu[i][0] - self.cpu[i - 1][0], stage

    def worst_by_stage(self, shown: list[float]) -> dict[str, float]:
        """The worst stall that began while each stage was shown (the status bar's words); a stall
        during which the window began showing a result counts as "show_result"."""
        out: dict[str, float] = {}
        for a, b, stage in zip(self.ticks, self.ticks[1:], self.stages):
            stage = "show_result" if any(a <= t <= b for t in shown) else stage or "(no job)"
            out[stage] = max(out.get(stage, 0.0), b - a - self.tick)
        return out

    def stop(self, split: float | None = None) -> tuple[list[float], list[float]]:
        """The gaps between ticks beyond the tick itself, in seconds: those that ended before ``split``
        (a perf_counter time) and the rest."""
        self.timer.stop()
        self._tick()
        gaps = [(b, max(0.0, b - a - self.tick)) for a, b in zip(self.ticks, self.ticks[1:])]
        split = float("inf") if split is None else split
        return [g for end, g in gaps if end <= split], [g for end, g in gaps if end > split]


def run_loop(app, until, timeout: float) -> bool:
    """Let the event loop run (so the probe ticks) until ``until()`` holds or ``timeout`` seconds pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, end = QEventLoop(), time.monotonic() + timeout
    check = QTimer()
    check.timeout.connect(lambda: loop.quit() if until() or time.monotonic() > end else None)
    check.start(20)
    loop.exec()
    check.stop()
    return until()


def drop(window, path: Path) -> None:
    """Drop ``path`` on the window as a file manager does."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where, buttons, mods = window.rect().center(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(window, QDragEnterEvent(QPoint(where), Qt.DropAction.CopyAction, mime, buttons, mods))
    QApplication.sendEvent(window, QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, mods))


def _spin(stop) -> None:
    """Plain Python work, as a well-behaved worker does between its calls into C."""
    n = 0
    while not stop.is_set():
        n = sum(i * i for i in range(2000)) + n % 7


def _spin_niced(stop) -> None:
    """The same work in another process, as nice as the engine process: what it costs the window to
    share the cores with one busy process, with no interpreter lock between them."""
    from newsdedup.gui.engine import NICE

    if hasattr(os, "nice"):
        os.nice(NICE)
    _spin(stop)


def describe(name: str, gaps: list[float]) -> str:
    worst = max(gaps, default=0.0)
    return (f"{name:<22} worst stall {worst * 1000:7.1f} ms · over 50 ms: {sum(g > 0.05 for g in gaps):3d} · "
            f"over 100 ms: {sum(g > 0.1 for g in gaps):3d} · over the run's {len(gaps):,} ticks")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="a folder of articles or a .jsonl file, dropped on the window")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of the idle baseline")
    parser.add_argument("--tick", type=int, default=5, help="the probe's interval in ms")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds the probe keeps running after the result is shown (a lazy tree fills then)")
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--type", action="append", default=[], metavar="WORDS",
                        help="after the result, type these words into the filter box (repeatable)")
    parser.add_argument("--thread", action="store_true",
                        help="run the jobs on a thread of the window's process (the app before the engine)")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]  # a shared machine: the figures are read beside how busy it was
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from newsdedup.gui import create_window

    window = create_window()
    if args.thread:
        window.jobs.engine = None
    app = QApplication.instance()
    window.resize(1280, 820)
    window.show()
    shown: list[tuple[float, float]] = []  # when show_result started, how long it took
    show_result = window.show_result

    def timed_show(result) -> None:
        t = time.perf_counter()
        show_result(result)
        shown.append((t, time.perf_counter() - t))

    window.show_result = timed_show
    run_loop(app, lambda: False, 0.5)  # the first paint is not part of the baseline
    probe = Probe(args.tick, lambda: window.jobs.stage_label.text() if window.jobs.stage_label.isVisible() else "")
    probe.start()
    run_loop(app, lambda: False, args.idle)
    idle, _ = probe.stop()
    stop = threading.Event()
    busy_thread = threading.Thread(target=_spin, args=(stop,))
    probe.start()
    busy_thread.start()
    run_loop(app, lambda: False, args.idle)
    stop.set()
    busy_thread.join()
    spinning, _ = probe.stop()
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    stop_other = context.Event()
    other = context.Process(target=_spin_niced, args=(stop_other,))
    other.start()
    run_loop(app, lambda: False, 2.0)  # let it start
    probe.start()
    run_loop(app, lambda: False, args.idle)
    stop_other.set()
    other.join()
    other_spinning, _ = probe.stop()

    probe.start()
    started = time.perf_counter()
    drop(window, args.path.resolve())
    done = run_loop(app, lambda: window.result is not None and not window.is_scanning(), args.timeout)
    took = time.perf_counter() - started
    run_loop(app, lambda: False, args.settle)
    scanning, showing = probe.stop(shown[0][0] if shown else None)
    own_work, own_stage = probe.longest_work([t for t, _s in shown])
    busy = scanning + showing
    if not done:
        print(f"the scan did not end within {args.timeout:.0f} s", file=sys.stderr)
        return 1
    result = window.result
    where = "a thread of the window's process" if args.thread else "the engine process"
    print(f"{args.path}: {len(result.stories):,} stories, {len(result.events):,} events; drop to result {took:.1f} s;"
          f" jobs ran in {where}; load average at the start {load_before:.1f}, at the end {os.getloadavg()[0]:.1f}")
    print(describe("idle window (baseline)", idle))
    print(describe("python thread spinning", spinning))
    print(describe("a process spinning", other_spinning))
    print(describe("drop to result", busy))
    print(describe("  while scanning", scanning))
    print(describe("  result shown, after", showing))
    worst_idle, worst_busy = max(idle, default=0.0), max(busy, default=0.0)
    worst_spin = max(spinning, default=0.0)
    print(f"worst stall, drop to result / idle: {worst_busy / max(worst_idle, 1e-3):.1f}x, "
          f"/ spinning thread: {worst_busy / max(worst_spin, 1e-3):.1f}x; "
          f"show_result on the GUI thread: {', '.join(f'{s * 1000:.0f} ms' for _t, s in shown)}")
    print(f"the GUI thread's longest work between two ticks (its CPU time), drop to result: {own_work * 1000:.1f} ms ({own_stage})")
    print("longest stalls: " + "; ".join(probe.worst()))
    print(probe.causes())
    stages = sorted(probe.worst_by_stage([t for t, _s in shown]).items(), key=lambda kv: -kv[1])
    print("worst stall by the stage the status bar showed when it began: " +
          ", ".join(f"{stage} {gap * 1000:.0f} ms" for stage, gap in stages))
    if args.type:
        typing(window, app, probe, args)
    window.close()
    return 0


def typing(window, app, probe: Probe, args) -> None:
    """Type each of ``args.type`` into the filter box a key every 150 ms once the word index is in, and
    report the stalls while typing and until the tree shows the matches."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    box = window.filter_box
    if not run_loop(app, lambda: window.model.searches_text(), args.timeout):
        print("the filter's word index did not arrive", file=sys.stderr)
        return
    for words in args.type:
        probe.start()
        for key in words:
            QTest.keyClicks(box, key)
            run_loop(app, lambda: False, 0.15)
        run_loop(app, lambda: False, 0.6)  # the pause after typing: the filter runs, the tree refills
        shown = window.model.shown_events()
        QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(box, Qt.Key.Key_Delete)
        run_loop(app, lambda: False, 0.6)
        work, _stage = probe.longest_work([])
        gaps, _ = probe.stop()
        print(describe(f"typing {words!r}"[:22], gaps) +
              f" · GUI thread's longest work {work * 1000:.1f} ms · {shown:,} events shown")


if __name__ == "__main__":
    sys.exit(main())
