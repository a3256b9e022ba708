"""Running a scan off the GUI thread, with progress and cancel.

The scan is a generator of Progress; the worker steps it on a QThread and emits ``progress`` for each
item. Cancel takes effect between two yields: the generator is closed and ``cancelled`` is emitted, and
the window keeps whatever result it had before.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..pipeline import Settings, run_scan


class ScanWorker(QObject):
    """Every signal carries the worker's ``scan_id``, so a window can ignore a scan it has replaced."""

    progress = Signal(int, str, int, int)  # scan_id, stage, done, total
    finished = Signal(int, object)  # scan_id, ScanResult
    cancelled = Signal(int)
    failed = Signal(int, str)

    def __init__(self, scan_id: int, paths: list[Path], settings: Settings | None = None) -> None:
        super().__init__()
        self.scan_id = scan_id
        self._paths = list(paths)
        self._settings = settings or Settings()
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True  # read by the worker thread between yields

    @Slot()
    def run(self) -> None:
        gen = run_scan(self._paths, self._settings)
        try:
            while True:
                if self._cancel:
                    gen.close()
                    self.cancelled.emit(self.scan_id)
                    return
                try:
                    p = next(gen)
                except StopIteration as stop:
                    self.finished.emit(self.scan_id, stop.value)
                    return
                self.progress.emit(self.scan_id, p.stage, p.done, p.total)
        except Exception as exc:  # shown to the user as a message, never a crash
            self.failed.emit(self.scan_id, f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=5)}")


def start_scan(scan_id: int, paths: list[Path], settings: Settings | None = None) -> tuple[QThread, ScanWorker]:
    """Move a new ScanWorker to a new thread and start it; the thread's loop ends when the scan does.

    The caller keeps both objects until it has handled the worker's last signal, then calls
    ``release`` (deleting the worker from its own thread while a queued signal still names it crashes).
    """
    thread = QThread()
    worker = ScanWorker(scan_id, paths, settings)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for sig in (worker.finished, worker.cancelled, worker.failed):
        sig.connect(thread.quit)
    thread.start()
    return thread, worker


def release(thread: QThread) -> None:
    """Wait for a scan thread whose worker has sent its last signal (it is quitting already)."""
    thread.quit()
    thread.wait()
