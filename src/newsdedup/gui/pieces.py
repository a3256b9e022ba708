"""A value the engine returns, sent in pieces the window's side reads a few milliseconds at a time.

Reading a 50,000-story result back in one ``pickle.loads`` held the interpreter lock for over a tenth of
a second: one call into C, so the GUI thread could not run in between. Here the engine pickles the long
tuples and lists of the value (its fields, and their fields: stories, documents, relations, pairs...)
one item at a time, with one pickler whose memo spans every piece, so an object shared between fields
is still sent once and stays one object. A piece is about ``PIECE_BYTES`` of such pickles. The window's
side reads them with one unpickler (its memo spans the pieces too), between two items letting the GUI
thread take the lock; the last message is the value itself, whose long sequences stand for the items
already read (pickle's persistent ids, as values kept from earlier jobs do, by number).

Qt-free: the engine process imports it.
"""

from __future__ import annotations

import io
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

PIECE_BYTES = 256 * 1024  # a piece's pickles (the engine looks for a Cancel between two)
CALL_BYTES = (8 * 1024, 32 * 1024)  # a pickle of items this big reads in about a millisecond: the items
# per pickle grow or shrink to stay in this range (one item per pickle doubled the reading time)
BUFFER_BYTES = 1024 * 1024  # an array's bytes travel in chunks this big (a copy of one: a ms or so)
OUT_OF_BAND = 1024 * 1024  # arrays this big travel beside the pickles (an 80 MB one took 45 ms in them)
LONG = 256  # items: a tuple or list this long is sent in pieces
DEPTH = 2  # the value's fields and their fields: a result's tuples, a word index's lists


def long_sequences(value: Any, skip: Callable[[Any], bool]) -> list[list | tuple]:
    """The long tuples and lists among the value's fields (and their fields); ``skip`` says which
    objects travel otherwise (kept values, sent by number)."""
    found: dict[int, list | tuple] = {}

    def walk(obj: Any, depth: int) -> None:
        if skip(obj) or id(obj) in found:
            return
        if type(obj) in (list, tuple) and len(obj) >= LONG:
            found[id(obj)] = obj
            return
        if depth == 0:
            return
        if type(obj) in (list, tuple):  # a short one, e.g. a rescan's (result, counts): look inside
            children = list(obj)
        elif is_dataclass(obj) and not isinstance(obj, type):
            children = [getattr(obj, f.name) for f in fields(obj)]
        else:
            children = list(getattr(obj, "__dict__", {}).values())
        for child in children:
            walk(child, depth - 1)

    walk(value, DEPTH + 1)
    return list(found.values())


class PieceWriter:
    """The engine's side: ``pieces`` yields the pieces of one value, then ``final`` is the value itself."""

    def __init__(self, number_of: Callable[[Any], int | None]) -> None:
        self._number_of = number_of  # kept values and their parts travel as their number
        self._buffer = io.BytesIO()
        self._arrays: list[memoryview] = []  # big arrays' bytes, to send before the pickle that names them
        self._pickler = pickle.Pickler(self._buffer, protocol=5, buffer_callback=self._beside)
        self._pickler.persistent_id = self._persistent_id  # type: ignore[method-assign]
        self._sent: dict[int, tuple[int, list | tuple]] = {}  # id -> (its number here, the sequence)
        self.final = b""

    def _persistent_id(self, obj: Any):
        n = self._number_of(obj)
        if n is not None:
            return n
        sent = self._sent.get(id(obj))
        if sent is not None and sent[1] is obj:
            return ("items", sent[0], type(obj) is tuple)
        return None

    def _beside(self, buffer: pickle.PickleBuffer) -> bool:
        """Out of band (False) when big: such an array's bytes go in chunks of their own."""
        raw = buffer.raw()
        if raw.nbytes < OUT_OF_BAND:
            return True
        self._arrays.append(raw)
        return False

    def _take(self) -> bytes:
        data = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return data

    def _array_pieces(self) -> Iterator[tuple]:
        for raw in self._arrays:
            for at in range(0, raw.nbytes, BUFFER_BYTES):
                yield ("array", raw.nbytes, at, bytes(raw[at:at + BUFFER_BYTES]))
        self._arrays = []

    def pieces(self, value: Any) -> Iterator[tuple]:
        """("items", sequence number, pickles of lists of its items) and ("array", size, where, bytes),
        in the order they are to be read; then ``final`` holds the value itself, its long sequences and
        big arrays standing for the pieces sent before."""
        for k, seq in enumerate(long_sequences(value, lambda obj: self._number_of(obj) is not None)):
            per_call, at = 64, 0
            while at < len(seq):
                before = self._buffer.tell()
                self._pickler.dump(list(seq[at:at + per_call]))
                at += per_call
                size = self._buffer.tell() - before
                per_call = max(1, per_call // 2) if size > CALL_BYTES[1] else \
                    min(4096, per_call * 2) if size < CALL_BYTES[0] else per_call
                if self._buffer.tell() >= PIECE_BYTES or at >= len(seq):
                    yield from self._array_pieces()
                    yield ("items", k, self._take())
            self._sent[id(seq)] = (k, seq)
        self._pickler.dump(value)
        yield from self._array_pieces()
        self.final = self._take()


class _Feed:
    """The file the unpickler reads: one piece at a time (the unpickler keeps the file it was made with)."""

    def __init__(self) -> None:
        self.current = io.BytesIO()

    def read(self, n: int = -1) -> bytes:
        return self.current.read(n)

    def readinto(self, b) -> int:
        return self.current.readinto(b)

    def readline(self, n: int = -1) -> bytes:
        return self.current.readline(n)

    def left(self) -> bool:
        return self.current.tell() < len(self.current.getbuffer())


class _Arrays:
    """The big arrays' bytes as they arrive; the unpickler takes them in order (never "exhausted")."""

    def __init__(self) -> None:
        self.whole: deque[np.ndarray] = deque()
        self._filling: np.ndarray | None = None

    def add(self, size: int, at: int, data: bytes) -> None:
        if at == 0:
            # not zeroed: bytearray(size) wrote zeros over all of it with the lock held (27 ms for the
            # word index's 42 MB, over 90 ms on a busy machine); the chunks fill every byte
            self._filling = np.empty(size, dtype=np.uint8)
        assert self._filling is not None
        # numpy's copy lets go of the lock (a bytearray's slice assignment would hold it)
        self._filling[at:at + len(data)] = np.frombuffer(data, dtype=np.uint8)
        if at + len(data) >= size:
            self.whole.append(self._filling)
            self._filling = None

    def __iter__(self):
        return self

    def __next__(self) -> np.ndarray:
        return self.whole.popleft()


class PieceReader:
    """The window's side: reads the pieces as they come, then the value."""

    def __init__(self, by_number: Callable[[int], Any]) -> None:
        self._by_number = by_number
        self._feed = _Feed()
        self._arrays = _Arrays()
        self._unpickler = pickle.Unpickler(self._feed, buffers=self._arrays)
        self._unpickler.persistent_load = self._persistent_load  # type: ignore[method-assign]
        self._items: dict[int, list] = {}
        self._made: dict[int, list | tuple] = {}

    def _persistent_load(self, pid):
        if isinstance(pid, int):
            return self._by_number(pid)
        _, k, is_tuple = pid
        if k not in self._made:  # once: a sequence met twice is one object, as it was
            items = self._items.pop(k)
            self._made[k] = tuple(items) if is_tuple else items
        return self._made[k]

    def read_piece(self, piece: tuple) -> None:
        """Read one piece: a few items per call into C, so that between two the GUI thread may take
        the lock."""
        if piece[0] == "array":
            self._arrays.add(*piece[1:])
            return
        _, k, data = piece
        self._feed.current = io.BytesIO(data)
        items = self._items.setdefault(k, [])
        while self._feed.left():
            items += self._unpickler.load()

    def value(self, data: bytes) -> Any:
        self._feed.current = io.BytesIO(data)
        return self._unpickler.load()
