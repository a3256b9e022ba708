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
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

PIECE_BYTES = 256 * 1024  # a piece's pickles: a few ms to read on the window's side at 50,000 stories
LONG = 256  # items: a tuple or list this long is sent in pieces
DEPTH = 2  # the value's fields and their fields: a result's tuples, a word index's lists


def long_sequences(value: Any, skip: Callable[[Any], bool]) -> list[list | tuple]:
    """The long tuples and lists among the value's fields (and their fields); ``skip`` says which
    objects travel otherwise (kept values, sent by number)."""
    found: dict[int, list | tuple] = {}

    def walk(obj: Any, depth: int) -> None:
        if skip(obj) or id(obj) in found:
            return
        if type(obj) in (list, tuple):
            if len(obj) >= LONG:
                found[id(obj)] = obj
            return
        if depth == 0:
            return
        if is_dataclass(obj) and not isinstance(obj, type):
            children = [getattr(obj, f.name) for f in fields(obj)]
        else:
            children = list(getattr(obj, "__dict__", {}).values())
        for child in children:
            walk(child, depth - 1)

    walk(value, DEPTH + 1)
    return list(found.values())


class PieceWriter:
    """The engine's side: the pieces of one value, then the value itself."""

    def __init__(self, number_of: Callable[[Any], int | None]) -> None:
        self._number_of = number_of  # kept values and their parts travel as their number
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._pickler.persistent_id = self._persistent_id  # type: ignore[method-assign]
        self._sent: dict[int, tuple[int, list | tuple]] = {}  # id -> (its number here, the sequence)

    def _persistent_id(self, obj: Any):
        n = self._number_of(obj)
        if n is not None:
            return n
        sent = self._sent.get(id(obj))
        if sent is not None and sent[1] is obj:
            return ("items", sent[0], type(obj) is tuple)
        return None

    def _take(self) -> bytes:
        data = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return data

    def pieces(self, value: Any) -> Iterator[tuple[int, bytes]]:
        """(sequence number, pickles of some of its items), in the order they are to be read."""
        for k, seq in enumerate(long_sequences(value, lambda obj: self._number_of(obj) is not None)):
            for item in seq:
                self._pickler.dump(item)
                if self._buffer.tell() >= PIECE_BYTES:
                    yield k, self._take()
            if self._buffer.tell():
                yield k, self._take()
            self._sent[id(seq)] = (k, seq)

    def last(self, value: Any) -> bytes:
        """The value itself, its long sequences standing for the pieces sent before."""
        self._pickler.dump(value)
        return self._take()


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


class PieceReader:
    """The window's side: reads the pieces as they come, then the value."""

    def __init__(self, by_number: Callable[[int], Any]) -> None:
        self._by_number = by_number
        self._feed = _Feed()
        self._unpickler = pickle.Unpickler(self._feed)  # type: ignore[arg-type]
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

    def read_piece(self, k: int, data: bytes) -> None:
        """Read one piece, one item per call into C: between two, the GUI thread may take the lock."""
        self._feed.current = io.BytesIO(data)
        items = self._items.setdefault(k, [])
        while self._feed.left():
            items.append(self._unpickler.load())

    def value(self, data: bytes) -> Any:
        self._feed.current = io.BytesIO(data)
        return self._unpickler.load()
