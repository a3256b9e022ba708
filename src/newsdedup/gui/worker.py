"""Running a scan (or a regroup) off the GUI thread, with progress and cancel.

A job is a generator of Progress that returns its value (as superqt's generator workers do); the worker
steps it on a QThread and emits ``progress`` for each item. Cancel takes effect between two yields: the
generator is closed and ``cancelled`` is emitted, and the window keeps whatever result it had before.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Generator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from newsdedup.model import Progress

Job = Callable[[], Generator[Progress, None, object]]

STAGE_WORDS = {
    "read": "Reading files", "stories": "Finding stories", "signatures": "Fingerprinting",
    "candidates": "Finding candidate copies", "verify": "Checking copies", "events": "Grouping events",
    "similarities": "Scoring similar pairs", "regroup": "Regrouping", "open": "Opening the workspace",
    "boilerplate across outlet": "Finding page furniture", "decisions": "Applying your corrections",
    "save": "Saving the workspace",
}
JOB_WORDS = {"scan": "Scan", "score": "Scoring of similar pairs", "regroup": "Regrouping",
             "load": "Opening the workspace", "decisions": "Applying your corrections"}


class JobWorker(QObject):
    """Every signal carries the worker's ``job_id``, so a window can ignore a job it has replaced."""

    progress = Signal(int, str, int, int)  # job_id, stage, done, total
    finished = Signal(int, object)  # job_id, the job's return value
    cancelled = Signal(int)
    failed = Signal(int, str)

    def __init__(self, job_id: int, job: Job) -> None:
        super().__init__()
        self.job_id = job_id
        self._job = job
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True  # read by the worker thread between yields

    @Slot()
    def run(self) -> None:
        try:
            gen = self._job()
            while True:
                if self._cancel:
                    gen.close()
                    self.cancelled.emit(self.job_id)
                    return
                try:
                    p = next(gen)
                except StopIteration as stop:
                    self.finished.emit(self.job_id, stop.value)
                    return
                self.progress.emit(self.job_id, p.stage, p.done, p.total)
        except Exception as exc:  # shown to the user as a message, never a crash
            self.failed.emit(self.job_id, f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=5)}")


def start_job(job_id: int, job: Job) -> tuple[QThread, JobWorker]:
    """Move a new JobWorker to a new thread and start it; the thread's loop ends when the job does.

    The caller keeps both objects until it has handled the worker's last signal, then calls
    ``release`` (deleting the worker from its own thread while a queued signal still names it crashes).
    """
    thread = QThread()
    worker = JobWorker(job_id, job)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for sig in (worker.finished, worker.cancelled, worker.failed):
        sig.connect(thread.quit)
    thread.start()
    return thread, worker


def release(thread: QThread) -> None:
    """Wait for a job thread whose worker has sent its last signal (it is quitting already)."""
    thread.quit()
    thread.wait()
