"""The window's background jobs (scans and regroups) and their status-bar controls.

One job is current: its progress shows in the status bar (the stage in words, a bar for the stage) and
Cancel stops it. Starting a job cancels the current one; a replaced job's late signals are ignored, and
every job's thread is released from the GUI thread once its last signal has arrived.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from newsdedup.gui.worker import STAGE_WORDS, Job, release, start_job


class Jobs(QObject):
    done = Signal(str, object)  # kind ("scan" or "regroup"), the job's value
    failed = Signal(str, str)  # kind, message
    cancelled = Signal(str)  # kind

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, tuple] = {}  # job id -> (thread, worker, kind), until its last signal
        self._current = 0
        self._next_id = 1
        self.stage_label = QLabel("", objectName="scanStage")
        self.progress = QProgressBar(objectName="scanProgress")
        self.progress.setAccessibleName("Scan progress")
        self.progress.setMinimumWidth(220)
        self.cancel_button = QPushButton("Cancel", objectName="cancelScan")
        self.cancel_button.setAccessibleName("Cancel scan")
        self.cancel_button.clicked.connect(self.cancel)
        self._show(False)

    def _show(self, visible: bool) -> None:
        for w in (self.stage_label, self.progress, self.cancel_button):
            w.setVisible(visible)

    def start(self, kind: str, job: Job) -> int:
        self.cancel()  # a newer job replaces a running one
        job_id, self._next_id = self._next_id, self._next_id + 1
        thread, worker = start_job(job_id, job)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._jobs[job_id] = (thread, worker, kind)
        self._current = job_id
        self.progress.setRange(0, 0)
        self.stage_label.setText("Starting…")
        self._show(True)
        return job_id

    def cancel(self) -> None:
        if self._current in self._jobs:
            self._jobs[self._current][1].cancel()

    def running(self, kind: str | None = None) -> bool:
        job = self._jobs.get(self._current)
        return job is not None and (kind is None or job[2] == kind)

    def stop_all(self) -> None:
        for thread, worker, _kind in list(self._jobs.values()):
            worker.cancel()
            release(thread)
        self._jobs.clear()
        self._show(False)

    # -- worker signals -----------------------------------------------------------------------------
    def _on_progress(self, job_id: int, stage: str, done: int, total: int) -> None:
        if job_id != self._current:
            return
        self.stage_label.setText(STAGE_WORDS.get(stage, stage))
        self.progress.setRange(0, max(total, 0))
        self.progress.setFormat("%v of %m" if total else "")
        self.progress.setValue(done)

    def _ended(self, job_id: int) -> str | None:
        """Release the job's thread; its kind when it is the current job, else None."""
        entry = self._jobs.pop(job_id, None)
        if entry is None:
            return None
        release(entry[0])
        if job_id != self._current:
            return None
        self._show(False)
        return entry[2]

    def _on_finished(self, job_id: int, value) -> None:
        kind = self._ended(job_id)
        if kind is not None:
            self.done.emit(kind, value)

    def _on_cancelled(self, job_id: int) -> None:
        kind = self._ended(job_id)
        if kind is not None:
            self.cancelled.emit(kind)

    def _on_failed(self, job_id: int, message: str) -> None:
        kind = self._ended(job_id)
        if kind is not None:
            self.failed.emit(kind, message)
