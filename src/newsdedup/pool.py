"""Per-document work on all cores: chunks run in worker processes, their results come back in order.

A stage that works per file or per story cuts its input into chunks and hands them to ``Pool.map``, a
stage itself: it yields Progress at least every ``TICK_SECONDS`` while the workers work (so no bar goes
silent) and returns the chunks' results in the chunks' order, so the scan's answer does not depend on how
many workers there were or which finished first. With one worker (``workers=1``) the chunks run in this
process, one after another: the same functions on the same chunks, for tests and debugging.

Workers are started with "spawn", never "fork": the pool works from a GUI's child process, a thread, or a
program that holds locks, and on every platform alike. A consumer that stops iterating (Cancel) shuts the
pool down: chunks not begun are dropped and running workers are ended. A worker process that dies (killed,
out of memory) raises ``WorkerLost`` with what it was doing, never a hang; a file that cannot be read is a
Problem inside its chunk's result, as in one process. Workers whose scan process is killed end within a second.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection  # noqa: F401  imported here, not while a scan starts its workers: a
import multiprocessing.queues  # noqa: F401  Ctrl-C that lands inside an import is swallowed by Python
import multiprocessing.synchronize  # noqa: F401
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsdedup.model import Progress, Steps

TICK_SECONDS = 0.5  # the longest a waiting stage goes without a Progress
PARENT_CHECK_SECONDS = 1.0
KILL_AFTER_SECONDS = 2.0  # a worker asked to end that has not ended by then is killed
log = logging.getLogger(__name__)
try:
    import multiprocessing.popen_spawn_posix  # noqa: F401  (see above; POSIX only)
except ImportError:
    pass


class WorkerLost(RuntimeError):
    """A worker process ended without finishing its chunk (killed, out of memory): the scan cannot go on."""


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _can_start_processes() -> bool:
    # a daemonic process (multiprocessing's default for helpers) may not have children of its own
    return not multiprocessing.current_process().daemon


class Pool:
    """Worker processes for the per-document stages of one scan, started when first needed.

    Use as a context manager (or call ``close``) so the workers end with the scan."""

    def __init__(self, workers: int | None = None):
        wanted = default_workers() if workers is None or workers <= 0 else workers
        if wanted > 1 and not _can_start_processes():
            log.info("running in a daemonic process: per-document stages run in this process")
            wanted = 1
        self.workers = wanted
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_leave_with_parent, initargs=(os.getpid(),))
        return self._executor

    def close(self, cancel: bool = False) -> None:
        """End the workers; ``cancel``: drop queued chunks and end running ones now, without waiting."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if not cancel:
            executor.shutdown(wait=True)
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # a running chunk is not cancellable by the executor itself
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(KILL_AFTER_SECONDS)
            if process.is_alive():
                process.kill()

    def map(self, stage: str, fn: Callable[..., Any], chunks: Sequence[Any], sizes: Sequence[int] | None = None,
            done_before: int = 0, total: int | None = None, **kwargs) -> Steps[list]:
        """A stage: ``[fn(chunk, **kwargs) for chunk in chunks]``, on the workers. Progress is in units of
        ``sizes`` (items per chunk, default 1), counted from ``done_before`` out of ``total``."""
        sizes = list(sizes) if sizes is not None else [1] * len(chunks)
        total = total if total is not None else done_before + sum(sizes)
        return (yield from self._run(stage, fn, zip(chunks, sizes), done_before, total, kwargs,
                                     here=len(chunks) <= 1, ahead=len(chunks), count=len(chunks)))

    def stream(self, stage: str, fn: Callable[..., Any], chunks: Iterable[tuple[Any, int]], total: int,
               **kwargs) -> Steps[list]:
        """``map`` over chunks made while the workers work: ``chunks`` yields (chunk, size) and is read on
        only while fewer than two chunks per worker wait, so making the next chunks here overlaps the
        workers' work on the last ones. Progress in units of the sizes, out of ``total``; the results in
        the chunks' order."""
        return (yield from self._run(stage, fn, chunks, 0, total, kwargs, here=False, ahead=2 * self.workers,
                                     count=None))

    def _run(self, stage: str, fn: Callable[..., Any], chunks: Iterable[tuple[Any, int]], done_before: int,
             total: int, kwargs: dict, here: bool, ahead: int, count: int | None) -> Steps[list]:
        """The chunks (with their sizes, ``count`` of them if known) through ``fn``: in this process with one
        worker or ``here``, else on the workers with at most ``ahead`` chunks given them and not yet done."""
        yield Progress(stage, done_before, total)
        done = done_before
        if self.workers <= 1 or here:
            results = []
            for chunk, size in chunks:
                results.append(fn(chunk, **kwargs))
                done += size
                yield Progress(stage, done, total)
            return results
        executor = self._started()
        index: dict[Future, int] = {}
        sizes: list[int] = []
        pending: set[Future] = set()
        finished = False
        try:
            made = iter(chunks)
            while True:
                if len(pending) < ahead:
                    item = next(made, None)
                    if item is not None:
                        future = executor.submit(fn, item[0], **kwargs)
                        index[future] = len(sizes)
                        sizes.append(item[1])
                        pending.add(future)
                        continue
                if not pending:
                    break
                ready, pending = wait(pending, timeout=TICK_SECONDS, return_when=FIRST_COMPLETED)
                for future in ready:
                    _check(future, stage, index[future], count)
                    done += sizes[index[future]]
                yield Progress(stage, done, total)
            finished = True
            return [future.result() for future in sorted(index, key=index.__getitem__)]
        finally:
            if not finished:  # stopped (Cancel), or a worker failed: nothing more of this scan is wanted
                self.close(cancel=True)


def _leave_with_parent(parent: int) -> None:
    """In each worker: end when the scan's process is gone (killed, say, by a GUI that ends its scan's
    process on Cancel), instead of waiting for work forever. Ctrl-C is the scan process's to handle (it
    ends the workers): a terminal sends it to the workers too, and they would each print a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


def _check(future: Future, stage: str, k: int, n: int | None) -> None:
    """Raise the chunk's own error, or ``WorkerLost`` when its worker process died under it."""
    try:
        future.result()
    except BrokenProcessPool as exc:
        raise WorkerLost(f"a worker process ended unexpectedly during '{stage}' (chunk {k + 1}{f' of {n}' if n else ''}); "
                         "it may have run out of memory or been killed. Run the scan again, or with "
                         "fewer workers (--workers 1)") from exc
