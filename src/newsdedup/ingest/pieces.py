"""A big JSON Lines file read in pieces, so that every core reads it and its progress moves while it is read.

A piece is the lines that start within one byte range of the file (``pieces_of``). Each is read on its own
(``read_piece``, on a worker) and the pieces of a file are put together (``file_of_pieces``) into exactly
what reading the file whole gives (``files.read_one``): the same documents, file entry, note and problems.
Two things a piece cannot know alone, and how they are settled:
- the number of the records before it, which is the id of a record that has none of its own: a piece
  that needed it and did not have it is read again once the pieces before it have counted theirs;
- the file's encoding: a piece reads plain UTF-8 only (one byte-order mark at the file's start allowed);
  a file that is anything else (some lines in another encoding, UTF-16) is read whole instead.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdedup.ingest.decoding import Unreadable
from newsdedup.ingest.files import (
    DEFAULT_MAX_BYTES,
    RECORDS_FILE_FACTOR,
    articles,
    failure_reason,
    json_lines,
    records_outcome,
)
from newsdedup.ingest.walk import display
from newsdedup.model import Document, FileEntry, FileStatus, Problem

PIECE_SUFFIXES = {".jsonl", ".ndjson"}  # one record a line; a .json file is one JSON value, read whole
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Piece:
    """The lines of a file that start at bytes ``start`` to ``end`` (``index`` of ``count`` pieces)."""

    root: Path
    path: Path
    name: str  # the file's name in the results
    index: int
    count: int
    start: int
    end: int
    encoding: str = "utf-8"  # "utf-8-sig" when the file starts with a byte-order mark
    first: int | None = None  # records of the file before this piece, when known


@dataclass(frozen=True)
class PieceRead:
    """What a piece holds, and what its file's entry and problems are made from."""

    piece: Piece
    documents: list[Document]
    left_out: list[Problem]
    title_only: int
    bad: list[tuple[int, str]]  # lines that are not JSON: (line number within the piece, what is wrong)
    lines: int  # line ends in the piece
    records: int  # JSON values in the piece
    encoding: str
    failure: str = ""  # why the file cannot be read, when reading this piece says so
    whole: bool = False  # not plain UTF-8: the file is to be read whole
    renumber: bool = False  # a record's id is its number in the file, which this piece did not know

    @property
    def settled(self) -> bool:
        return not (self.whole or self.renumber)


def pieces_of(root: Path, path: Path, name: str, piece_bytes: int, max_bytes: int = DEFAULT_MAX_BYTES
              ) -> list[Piece] | None:
    """The pieces of a JSON Lines file of more than ``piece_bytes``; None for any other file, which is
    read whole (its own reader says what is wrong with one that cannot be read)."""
    if path.suffix.lower() not in PIECE_SUFFIXES:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    size = st.st_size
    if not stat.S_ISREG(st.st_mode) or size <= piece_bytes or size > max_bytes * RECORDS_FILE_FACTOR:
        return None
    try:
        with open(path, "rb") as fh:
            encoding = "utf-8-sig" if fh.read(len(_BOM)) == _BOM else "utf-8"
    except OSError:
        return None
    count = -(-size // piece_bytes)
    return [Piece(root, path, name, k, count, k * piece_bytes, min(size, (k + 1) * piece_bytes), encoding)
            for k in range(count)]


def piece_bytes(piece: Piece) -> bytes:
    """The bytes of the lines that start within the piece's range."""
    fd = os.open(piece.path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        start = piece.start
        if start > 0:
            fh.seek(start - 1)
            if fh.read(1) != b"\n":  # the range starts inside a line: the piece before holds that line
                fh.readline()
            start = fh.tell()
        if start >= piece.end:
            return b""
        data = fh.read(piece.end - start)
        if data and not data.endswith(b"\n"):  # the last line that starts in the range, to its end
            data += fh.readline()
    return data


def read_piece(piece: Piece, max_bytes: int = DEFAULT_MAX_BYTES) -> PieceRead:
    """A piece's records read into documents, as reading the whole file would read them (never raises)."""
    folder_source = display(piece.path.parent.name) if piece.path.parent != piece.root.parent else ""
    try:
        data = piece_bytes(piece)
        encoding = piece.encoding
        if piece.index == 0 and encoding == "utf-8-sig" and data.startswith(_BOM):
            data = data[len(_BOM):]
        elif piece.index == 0 and (data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
                                   or b"\x00" in data[:8192]):
            return _whole(piece)  # another encoding, or a binary file: as the whole file's reader says
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _whole(piece)
    except Exception as exc:  # the file went away or changed under the scan: it is a problem, as read whole
        return dataclasses.replace(_whole(piece), whole=False, failure=failure_reason(exc, piece.name))
    try:
        records, bad = json_lines(text)
        got = articles(piece.root, piece.name, records, piece.path.suffix.lower(), folder_source, encoding,
                       max_bytes, piece.first or 0)
    except Exception as exc:  # as read_one: the file is a problem, the scan goes on
        return PieceRead(piece, [], [], 0, [], text.count("\n"), 0, encoding, failure=failure_reason(exc, piece.name))
    renumber = got.numbered and piece.first is None and piece.index > 0
    return PieceRead(piece, got.documents, got.left_out, got.title_only, bad, text.count("\n"), len(records),
                     encoding, renumber=renumber)


def _whole(piece: Piece) -> PieceRead:
    return PieceRead(piece, [], [], 0, [], 0, 0, "", whole=True)


def numbered(reads: Sequence[PieceRead]) -> list[Piece]:
    """The pieces of one file to read again, knowing the records before them (all of a file's pieces are
    in ``reads``, in order, and none wants the file read whole)."""
    again, first = [], 0
    for read in reads:
        if read.renumber:
            again.append(dataclasses.replace(read.piece, first=first))
        first += read.records
    return again


def file_of_pieces(reads: Sequence[PieceRead], docs: list[Document]
                   ) -> tuple[list[Document], FileEntry, list[Problem]]:
    """A file's documents, entry and problems from all its pieces (settled, in order) and their
    documents: what ``files.read_one`` gives for the whole file."""
    name = reads[0].piece.name
    failed = next((r.failure for r in reads if r.failure), "")
    bad: list[tuple[int, str]] = []
    lines = 0
    for read in reads:
        bad.extend((n + lines, why) for n, why in read.bad)
        lines += read.lines
    try:
        if failed:
            raise Unreadable(failed)
        got, note, problems = records_outcome(name, docs, [p for r in reads for p in r.left_out],
                                              sum(r.title_only for r in reads), bad)
    except Unreadable as exc:
        return [], FileEntry(name, FileStatus.PROBLEM, str(exc)), [Problem(name, str(exc))]
    return got, FileEntry(name, FileStatus.READ, note, documents=len(got)), problems
