"""The session's jobs run in a second process, so the window's process never waits for them.

A scan holds Python's interpreter lock through long calls into C (regular expressions, numpy, sorting):
on a thread of the window's process, the event loop waited up to 0.3 s at 2,000 stories and 1.9 s at
50,000. In another process it waits for nothing; the window's side only reads small messages and, once
per job, the value, which comes in pieces (``gui.pieces``) it reads a few milliseconds at a time, so the
GUI thread can take the lock between two (in one piece, a 50,000-story result held it 0.1 s and more).

``Engine.run(stage)`` is itself a stage: it sends ``stage`` (a picklable call, e.g. a
``functools.partial`` of a module-level stage) to the engine process, yields the Progress that comes
back and returns the stage's value. Closing it early (Cancel, or a newer job replacing it) sends the
job's number down a second pipe, which the engine process looks at after every Progress; a process that does not stop in time is
terminated, and the next job starts a new one. An error in the stage comes back as ``StageFailed``
with the engine's traceback; an engine process that dies is a ``StageFailed`` too, never a hang.

Values are not sent twice. Each side keeps the values the engine returned (and their fields: a
result's documents, stories, ...) under the same numbers; a value sent back to the engine, or a new
value that holds an old one's parts (a regrouped result keeps the documents), travels as its number
(pickle's persistent ids). Only the last ``KEPT`` values are kept on both sides. This relies on the
model's rule that nothing a stage returns is changed afterwards: a number always stands for one content.

This module never imports Qt: the engine process imports it to start, and needs none of the window.
"""

from __future__ import annotations

import atexit
import gc
import io
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Generator
from dataclasses import fields, is_dataclass
from typing import Any

from newsdedup.gui.pieces import PieceReader, PieceWriter
from newsdedup.model import Progress

KEPT = 6  # values kept on both sides for reuse: a result, its scores, its word index and a few before
SEND_EVERY = 0.04  # seconds between two progress messages (a stage may report every file)
WAIT = 0.1  # seconds the window's side waits for a message before letting its caller look up
STOP_GRACE = 5.0  # seconds a cancelled job has to stop at its next Progress before its process is ended
NICE = 5  # the engine yields a busy core to the window (which wakes for a moment) rather than the reverse
_SCALARS = (str, bytes, int, float, bool, type(None))


class StageFailed(Exception):
    """The stage raised in the engine process (``trace`` is its traceback), or the process died."""

    def __init__(self, message: str, trace: str = "") -> None:
        super().__init__(message)
        self.trace = trace


class _Kept:
    """Values by number, and numbers by value (identity), with their fields: one side's memory."""

    def __init__(self) -> None:
        self.values: OrderedDict[int, list[tuple[int, Any]]] = OrderedDict()  # number -> parts with numbers
        self.by_number: dict[int, Any] = {}
        self.by_id: dict[int, int] = {}

    def keep(self, number: int, value: Any, part_numbers: list[int]) -> None:
        parts = [(number, value)] + list(zip(part_numbers, _parts(value), strict=True))
        self.values[number] = parts
        for n, v in parts:
            self.by_number[n] = v
            self.by_id[id(v)] = n
        while len(self.values) > KEPT:
            self.forget(next(iter(self.values)))

    def forget(self, number: int) -> None:
        for n, v in self.values.pop(number, []):
            self.by_number.pop(n, None)
            if self.by_id.get(id(v)) == n:
                del self.by_id[id(v)]

    def live(self) -> list[int]:
        return list(self.values)

    def keep_only(self, numbers: list[int]) -> None:
        for n in [n for n in self.values if n not in set(numbers)]:
            self.forget(n)

    def number_of(self, obj: Any) -> int | None:
        n = self.by_id.get(id(obj))
        return n if n is not None and self.by_number.get(n) is obj else None


def _parts(value: Any) -> list[Any]:
    """The fields of a value worth sending by number: containers and objects, not strings or numbers."""
    if not is_dataclass(value) or isinstance(value, type):
        return []
    got = (getattr(value, f.name) for f in fields(value))
    return [v for v in got if not isinstance(v, _SCALARS)]


def _dumps(obj: Any, kept: _Kept) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = kept.number_of  # type: ignore[method-assign]
    pickler.dump(obj)
    return out.getvalue()


def _loads(data: bytes, kept: _Kept) -> Any:
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = kept.by_number.__getitem__  # type: ignore[method-assign]
    return unpickler.load()


# -- the engine process ----------------------------------------------------------------------------------
def _serve(conn, cancel) -> None:
    """The engine process: run one job at a time, as the window's side sends them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal is for the window's process
    if hasattr(os, "nice"):
        os.nice(NICE)
    kept, numbers = _Kept(), iter(range(1, 1 << 62))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the window's process is gone
        if message[0] == "quit":
            return
        _, job, live, data = message
        kept.keep_only(live)
        try:
            conn.send(_run_one(job, data, kept, numbers, conn, cancel))
        except (BrokenPipeError, OSError):
            return


def throttled(steps: Generator[Any, None, Any]) -> Generator[Progress, None, Any]:
    """``steps`` with its Progress thinned to one every ``SEND_EVERY`` (and each stage's first and last):
    a stage may report every file, and each report is a message, a signal and a repaint."""
    last, stage = 0.0, None
    try:
        while True:
            try:
                item = next(steps)
            except StopIteration as stop:
                return stop.value
            now = time.monotonic()
            if isinstance(item, Progress) and (now - last >= SEND_EVERY or item.stage != stage
                                               or item.done >= item.total):
                last, stage = now, item.stage
                yield item
    finally:
        steps.close()  # closed early (Cancel): the stage ends now, on this thread


def _cancelled(cancel, job: int) -> bool:
    """Whether the window's side asked to stop ``job`` (older jobs' requests are read and dropped)."""
    asked = False
    while cancel.poll():
        asked = cancel.recv() == job or asked
    return asked


def _run_one(job: int, data: bytes, kept: _Kept, numbers, conn, cancel) -> tuple:
    """Run one stage, sending its Progress now and then; the message that ends the job."""
    try:
        steps = throttled(_loads(data, kept)())
        while True:
            try:
                item = next(steps)
            except StopIteration as stop:
                value = stop.value
                break
            if _cancelled(cancel, job):
                steps.close()
                return ("cancelled", job)
            conn.send(("progress", job, item))
        number = next(numbers)
        part_numbers = [next(numbers) for _ in _parts(value)]
        writer = PieceWriter(kept.number_of)
        for piece in writer.pieces(value):
            if _cancelled(cancel, job):  # neither side keeps the value: the memories stay alike
                return ("cancelled", job)
            conn.send(("piece", job, piece))
        payload = writer.final
        kept.keep(number, value, part_numbers)
        return ("value", job, number, part_numbers, payload)
    except Exception as exc:
        return ("error", job, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc, limit=8)))


# -- the window's side ----------------------------------------------------------------------------------
class Engine:
    """The window's handle on the engine process: one job at a time, from any thread but the GUI's."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")  # no fork of a process that runs Qt's threads
        self._lock = threading.Lock()  # one job talks to the process at a time
        self._process: Any = None  # multiprocessing's process and pipe ends (their types are private)
        self._conn: Any = None
        self._stop: Any = None  # where the window's side asks a job to stop
        self._kept = _Kept()
        self._jobs = iter(range(1, 1 << 62))

    def _start(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._stop_process()
        ours, theirs = self._context.Pipe()
        stop_in, stop_out = self._context.Pipe(duplex=False)  # a pipe, not an Event: no semaphore to leak
        # not a daemon: a stage may start processes of its own (reading files on every core)
        process = self._context.Process(target=_serve, args=(theirs, stop_in), name="newsdedup-engine")
        process.start()
        theirs.close()
        stop_in.close()
        self._process, self._conn, self._stop = process, ours, stop_out
        self._kept = _Kept()  # a new process knows no values

    def _stop_process(self) -> None:
        process, conn, stop = self._process, self._conn, self._stop
        self._process = self._conn = self._stop = None
        for end in (conn, stop):
            if end is not None:
                end.close()
        if process is not None:
            process.terminate()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)

    def shutdown(self) -> None:
        """End the engine process (a running job's thread has ``STOP_GRACE`` to let go of it first)."""
        if not self._lock.acquire(timeout=STOP_GRACE + 1):
            self._stop_process()  # a job's thread is still draining: end the process under it
            return
        try:
            if self._conn is not None:
                try:
                    self._conn.send(("quit",))
                except OSError:
                    pass
            if self._process is not None:
                self._process.join(2)
            self._stop_process()
        finally:
            self._lock.release()

    def run(self, stage: Callable[[], Generator[Progress, None, Any]]) -> Generator[Progress | None, None, Any]:
        """Run ``stage`` in the engine process: a stage that also yields None while it waits, so that
        whoever drives it can stop it (by closing it) at least every ``WAIT`` seconds."""
        with self._lock:
            self._start()
            job = next(self._jobs)
            data = _dumps(stage, self._kept)
            assert self._conn is not None
            self._conn.send(("job", job, self._kept.live(), data))
            ended, reader = False, PieceReader(self._kept.by_number.__getitem__)
            try:
                while True:
                    message = self._receive()
                    if message is None:
                        yield None
                        continue
                    if message[1] != job:
                        continue  # a message of an older job, left by a process that was ended
                    if message[0] == "progress":
                        yield message[2]
                        continue
                    if message[0] == "piece":
                        self._read_piece(reader, message)
                        yield None  # whoever drives may stop it between two pieces
                        continue
                    ended = True
                    return self._ended(message, reader)
            finally:
                try:
                    if not ended:
                        self._stop_job(job, reader)
                finally:
                    gc.enable()

    def _receive(self):
        """The next message, None if none came within ``WAIT``; StageFailed if the process died."""
        conn = self._conn
        try:
            if conn is None or not conn.poll(WAIT):
                if self._process is not None and not self._process.is_alive():
                    raise StageFailed(self._died())
                return None
            return conn.recv()
        except (EOFError, OSError) as exc:
            raise StageFailed(self._died()) from exc

    def _died(self) -> str:
        process = self._process
        self._stop_process()
        code = process.exitcode if process is not None else None
        return (f"The background process stopped unexpectedly (exit code {code}); nothing was changed. "
                "If it was out of memory, try fewer folders at once.")

    @staticmethod
    def _read_piece(reader: PieceReader, message: tuple) -> None:
        # no collection until the value is whole: one would walk every object made so far, holding the
        # lock (``run`` enables it again however the job ends)
        gc.disable()
        reader.read_piece(message[2])

    def _ended(self, message: tuple, reader: PieceReader) -> Any:
        kind = message[0]
        if kind == "value":
            _, _job, number, part_numbers, payload = message
            gc.disable()
            try:
                value = reader.value(payload)
            finally:
                gc.enable()
            # the value's objects live long and never change: later collections need not walk them again
            # (they are still freed when nothing holds them; only cycles among them would be kept)
            gc.freeze()
            self._kept.keep(number, value, part_numbers)
            return value
        if kind == "error":
            raise StageFailed(message[2], message[3])
        raise StageFailed("The job was cancelled")  # only a job ``run`` was not asked to stop

    def _stop_job(self, job: int, reader: PieceReader) -> None:
        """Closed early: have the job stop, and take its last message (its value is kept on both sides,
        so the two memories stay alike); end the process if it does not stop in time."""
        try:
            assert self._stop is not None
            self._stop.send(job)
        except (AssertionError, OSError):
            self._stop_process()
            return
        end = time.monotonic() + STOP_GRACE
        try:
            while time.monotonic() < end:
                message = self._receive()
                if message is None or message[1] != job or message[0] == "progress":
                    continue
                if message[0] == "piece":  # it ended before it saw the request: read the value whole
                    self._read_piece(reader, message)
                    continue
                if message[0] == "value":
                    self._ended(message, reader)
                return
        except StageFailed:
            return  # the process died meanwhile: the next job starts a new one
        except Exception:  # noqa: BLE001 - a value that cannot be read back: start afresh
            pass
        self._stop_process()


_ENGINE: Engine | None = None


def engine() -> Engine:
    """The one engine of this process (the windows share it; it starts with the first job)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
        # before multiprocessing's own exit handler, which would wait for the process to end by itself
        atexit.register(_ENGINE.shutdown)
    return _ENGINE
