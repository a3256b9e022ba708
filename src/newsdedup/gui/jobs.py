"""Running the session's jobs outside the window's process, with progress and Cancel in the status bar.

A job's stage is a generator of Progress that returns its value. It runs in the engine process
(``gui.engine``: the window's process never waits on the interpreter lock a scan holds), and
superqt's ``GeneratorWorker`` drives the window's side of it on a pool thread: it emits ``yielded`` for
each Progress that comes back, ``returned`` with the value, ``errored``, ``aborted`` (Cancel takes effect
within a tenth of a second here, and at the stage's next Progress in the engine) and ``finished``. One job
is current: its progress shows, Cancel stops it, and a newer job replaces it (the replaced job's late
signals are ignored). With ``engine`` set to None, stages run on the pool thread itself, as before
(the stall benchmark compares the two).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton
from superqt.utils import GeneratorWorker, create_worker

from newsdedup.gui.actions import named
from newsdedup.gui.engine import Engine, StageFailed, engine, throttled
from newsdedup.model import Progress
from newsdedup.session import Job

STAGE_WORDS = {
    "read": "Reading files", "stories": "Finding stories", "signatures": "Fingerprinting",
    "candidates": "Finding candidate copies", "verify": "Checking copies", "events": "Grouping events",
    "similarities": "Scoring similar pairs", "regroup": "Regrouping", "open": "Opening the workspace",
    "boilerplate across outlet": "Finding page furniture", "decisions": "Applying your corrections",
    "save": "Saving the workspace", "index": "Reading the words for the filter",
}


def _stepped(job: Job, prepare, runner: Engine | None):
    """The job's stage as a generator function, which is what superqt's worker takes; ``prepare`` then
    makes, still on the worker, what the window will need to show the value (its lookups)."""
    value = yield from (runner.run(job.stage) if runner is not None else throttled(job.stage()))
    return value, prepare(value)


class StageWorker(GeneratorWorker):
    """superqt's generator worker that also closes the stage when it stops early, on its own thread
    (a rescan's SQLite connection may only be closed by the thread that opened it)."""

    def work(self):
        try:
            return super().work()
        finally:
            self._gen.close()


class JobRunner(QObject):
    done = Signal(str, object)  # job kind, its value (after the session took it)
    failed = Signal(str, str)  # job words, message
    cancelled = Signal(str)  # job words
    stepped = Signal(str, int, int)  # the stage in words, done, total: progress of the current job

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.engine: Engine | None = engine()  # None: stages run on the worker thread itself
        self._current: tuple[Job, GeneratorWorker] | None = None
        self.prepare: Callable[[object], object] = lambda value: None  # run on the worker after each job
        self.prepared: tuple[object, object] | None = None  # the last value and what ``prepare`` made of it
        self._workers: set[GeneratorWorker] = set()  # kept until their last signal
        self.stage_label = named(QLabel(""), "scanStage")
        self.progress = named(QProgressBar(), "scanProgress")
        self.progress.setAccessibleName("Scan progress")
        self.progress.setMinimumWidth(180)
        self.cancel_button = named(QPushButton("Cancel"), "cancelScan")
        self.cancel_button.setAccessibleName("Cancel scan")
        self.cancel_button.clicked.connect(self.cancel)
        self._show(False)

    def _show(self, visible: bool) -> None:
        for w in (self.stage_label, self.progress, self.cancel_button):
            w.setVisible(visible)

    def run(self, job: Job | None) -> None:
        """Run ``job`` (replacing the current one); None only stops the current one."""
        replaced, self._current = self._current, None
        if replaced is not None:
            replaced[1].quit()
            replaced[0].stopped()
        if job is None:
            self._show(False)
            return
        worker = create_worker(_stepped, job, self.prepare, self.engine, _worker_class=StageWorker,
                               _start_thread=False, _ignore_errors=True)
        worker.yielded.connect(lambda p, w=worker: self._on_progress(w, p))
        worker.returned.connect(lambda value, w=worker: self._on_returned(w, value))
        worker.errored.connect(lambda exc, w=worker: self._on_errored(w, exc))
        worker.aborted.connect(lambda w=worker: self._on_aborted(w))
        worker.finished.connect(lambda w=worker: self._on_finished(w))
        self._workers.add(worker)
        self._current = (job, worker)
        self.progress.setRange(0, 0)
        self.stage_label.setText(f"{job.words}: starting…")
        self._show(True)
        worker.start()

    def cancel(self) -> None:
        if self._current is not None:
            self._current[1].quit()

    def running(self, kind: str | None = None) -> bool:
        return self._current is not None and (kind is None or self._current[0].kind == kind)

    def stop_all(self) -> None:
        """Ask every worker to stop and wait for them (the window is closing)."""
        self.run(None)
        for worker in list(self._workers):
            worker.quit()
        GeneratorWorker.await_workers(30_000)

    # -- worker signals (GUI thread) -----------------------------------------------------------------
    def _ended(self, worker: GeneratorWorker) -> Job | None:
        """The current job if ``worker`` runs it (and it is current no more), else None."""
        if self._current is None or self._current[1] is not worker:
            return None
        job, self._current = self._current[0], None
        self._show(False)
        return job

    def _on_progress(self, worker: GeneratorWorker, p: Progress) -> None:
        if self._current is None or self._current[1] is not worker or not isinstance(p, Progress):
            return
        words = STAGE_WORDS.get(p.stage, p.stage)
        self.stage_label.setText(words)
        self.stepped.emit(words, p.done, p.total)
        self.progress.setRange(0, max(p.total, 0))
        self.progress.setFormat("%v of %m" if p.total else "")
        self.progress.setValue(p.done)

    def _on_returned(self, worker: GeneratorWorker, returned) -> None:
        job = self._ended(worker)
        if job is None:
            return
        value, made = returned
        self.prepared = (value, made)
        try:
            job.done(value)
        except Exception as exc:  # e.g. the workspace could not be written: a message, not a crash
            self.failed.emit(job.words, f"{type(exc).__name__}: {exc}")
            return
        self.done.emit(job.kind, value)

    def _on_finished(self, worker: GeneratorWorker) -> None:
        self._workers.discard(worker)
        self._on_aborted(worker)  # a Cancel that came after the last yield: neither returned nor aborted

    def _on_errored(self, worker: GeneratorWorker, exc: BaseException) -> None:
        job = self._ended(worker)
        if job is not None:
            job.stopped()
            if isinstance(exc, StageFailed):  # the engine's own words and traceback
                self.failed.emit(job.words, f"{exc}\n\n{exc.trace}".strip())
                return
            trace = "".join(traceback.format_exception(exc, limit=5))
            self.failed.emit(job.words, f"{type(exc).__name__}: {exc}\n\n{trace}")

    def _on_aborted(self, worker: GeneratorWorker) -> None:
        job = self._ended(worker)
        if job is not None:
            job.stopped()
            self.cancelled.emit(job.words)
