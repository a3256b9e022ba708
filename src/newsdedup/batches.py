"""The per-document work of a scan in batches, each a plain function a worker process can run (``pool``).

Two kinds of batch, around the one step that needs the whole corpus (boilerplate repeated across an
outlet, ``stories.outlet_boilerplate``):
- ``read_batch``: consecutive files read (``ingest.read_one``), or one piece of a big JSON Lines file
  (``ingest.pieces``), split into stories with their own boilerplate (``stories.build.document_stories``),
  and their paragraphs signed for the outlet pass (``stories.outlet_boilerplate.paragraphs_of``);
  ``read_files`` is the stage that runs them and puts a file's pieces together again;
- ``sign_batch``: consecutive stories, each document's words made once (``text.words``) and used for the
  story's title, date and word counts (``describe``) and for its clean words, whose shingle sets and
  MinHash signatures are made here too.
Each calls the very functions a scan in one process calls, per file and per story, so the batches' results
put end to end are the one-process results, whatever the cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from newsdedup.dedup import shared
from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.words import bag_of, digest, packed, representative_text
from newsdedup.ingest.files import read_one
from newsdedup.ingest.pieces import Piece, PieceRead, file_of_pieces, numbered, pieces_of, read_piece
from newsdedup.model import Document, FileEntry, Problem, Steps, Story, finish
from newsdedup.pool import Pool
from newsdedup.signatures import ShingleSets, shingle_sets, signatures
from newsdedup.stories.build import describe
from newsdedup.stories.build import document_stories as first_pass
from newsdedup.stories.dates import PartialDate
from newsdedup.stories.outlet_boilerplate import (
    OutletBoilerplateSettings,
    OutletParagraphs,
    joined,
    paragraphs_of,
)
from newsdedup.text import Words, words

BATCH_BYTES = 1 << 21  # about 2 MB of files per read batch: a second or so of work
BATCH_FILES = 256
PIECE_BYTES = 1 << 20  # a piece of a big JSON Lines file: about a second of work for one core
BATCH_STORIES = 1000


@dataclass(frozen=True)
class ReadBatch:
    documents: list[Document]
    files: list[FileEntry]
    problems: list[Problem]
    stories: list[Story]  # with each document's own boilerplate, not yet the outlet's
    paragraphs: OutletParagraphs  # what the outlet's boilerplate is looked for in
    piece: PieceRead | None = None  # a batch of one piece of a file: all but its documents


@dataclass(frozen=True)
class SignedBatch:
    stories: list[Story]  # described: title, date, word counts
    partials: list[tuple[int, PartialDate]]  # by story number within the batch
    sets: ShingleSets
    signatures: np.ndarray
    bags: dict[bytes, tuple[bytes, bytes]] = field(default_factory=dict)  # the events' words of each story:
    # digest -> packed bag (``events.words``; a kilobyte or so, where a bag of Python strings is ten)


File = tuple[Path, Path, str, str]  # (root, path, name, the walk's problem), as ``named_files`` gives


def file_batches(found: Sequence[File], max_bytes: int | None = None) -> list[list]:
    """Consecutive files in batches of about ``BATCH_BYTES``; with ``max_bytes`` (the size limit of one
    article), a JSON Lines file larger than ``PIECE_BYTES`` is cut into pieces (``ingest.pieces``), a batch
    each."""
    batches: list[list] = [[]]
    size = 0
    for item in found:
        pieces = pieces_of(item[0], item[1], item[2], PIECE_BYTES, max_bytes) \
            if max_bytes is not None and not item[3] else None
        if pieces:
            batches.extend([p] for p in pieces)
            batches.append([])
            size = 0
            continue
        if batches[-1] and (size >= BATCH_BYTES or len(batches[-1]) >= BATCH_FILES):
            batches.append([])
            size = 0
        batches[-1].append(item)
        try:
            size += item[1].stat().st_size
        except OSError:
            pass
    return [b for b in batches if b]


def read_batch(files: list, max_bytes: int,
               across: OutletBoilerplateSettings = OutletBoilerplateSettings()) -> ReadBatch:
    """Files (root, path, name, the walk's problem) read into documents, or one ``Piece`` of a file; their
    stories' first pass, and the stories' paragraphs with their signatures for the outlet pass."""
    docs: list[Document] = []
    entries: list[FileEntry] = []
    problems: list[Problem] = []
    piece = None
    for item in files:
        if isinstance(item, Piece):
            piece = read_piece(item, max_bytes)
            docs, piece = piece.documents, replace(piece, documents=[])  # the documents travel once
            continue
        root, path, name, problem = item
        got, entry, in_part = read_one(root, path, max_bytes, name, problem)
        docs.extend(got)
        entries.append(entry)
        problems.extend(in_part)
    stories = [s for d in docs for s in first_pass(d)]
    return ReadBatch(docs, entries, problems, stories, paragraphs_of(docs, stories, across), piece)


def read_files(pool: Pool, found: Sequence[File], max_bytes: int,
               across: OutletBoilerplateSettings = OutletBoilerplateSettings()) -> Steps[list[ReadBatch]]:
    """A stage ("read"): the files' batches read on the pool's workers, a big file's pieces put together
    again (``ingest.pieces``), so the batches hold what reading each file whole gives."""
    chunks = file_batches(found, max_bytes)
    sizes = [len(c) for c in chunks]  # files, a piece of a big file counting as one
    read = yield from pool.map("read", read_batch, chunks, sizes, max_bytes=max_bytes, across=across)
    again: list[list] = []  # pieces read again knowing the records before them, or a file read whole
    where: list[list[int]] = []  # the batches each of those replaces
    for batches in _pieces_by_file(read):
        reads = _reads(read, batches)
        if all(r.settled for r in reads):
            continue
        if any(r.whole for r in reads):
            first = reads[0].piece
            again.append([(first.root, first.path, first.name, "")])
            where.append(batches)
            continue
        for piece in numbered(reads):
            again.append([piece])
            where.append([batches[piece.index]])
    if again:
        redone = yield from pool.map("read", read_batch, again, done_before=sum(sizes),
                                     total=sum(sizes) + len(again), max_bytes=max_bytes, across=across)
        dropped: set[int] = set()
        for batches, batch in zip(where, redone):
            read[batches[0]] = batch
            dropped.update(batches[1:])
        read = [b for k, b in enumerate(read) if k not in dropped]
    return _settled(read, across.num_perm)


def _pieces_by_file(read: Sequence[ReadBatch]) -> list[list[int]]:
    """The batch numbers of each file read in pieces, in order."""
    files: list[list[int]] = []
    for k, batch in enumerate(read):
        if batch.piece is not None:
            if batch.piece.piece.index == 0:
                files.append([])
            files[-1].append(k)
    return files


def _reads(read: Sequence[ReadBatch], batches: list[int]) -> list[PieceRead]:
    """The pieces read in ``batches`` (each a batch of one piece)."""
    return [p for p in (read[k].piece for k in batches) if p is not None]


def _settled(read: list[ReadBatch], num_perm: int) -> list[ReadBatch]:
    """The batches with each file read in pieces put together: its entry and problems in its last batch,
    and nothing of it when it cannot be read."""
    out = list(read)
    for batches in _pieces_by_file(read):
        reads = _reads(read, batches)
        docs, entry, problems = file_of_pieces(reads, [d for k in batches for d in read[k].documents])
        for k in batches[:-1]:
            out[k] = out[k] if docs else _empty([], [], num_perm)
        last = read[batches[-1]] if docs else _empty([], [], num_perm)
        out[batches[-1]] = replace(last, files=[entry], problems=problems, piece=None)
    return [b for b in out if b.documents or b.files]


def _empty(files: list[FileEntry], problems: list[Problem], num_perm: int) -> ReadBatch:
    return ReadBatch([], files, problems, [], joined([], num_perm))


def story_batches(stories: Sequence[Story], documents: dict[str, Document]
                  ) -> list[tuple[list[Document], list[Story]]]:
    """Consecutive stories in batches of about ``BATCH_STORIES``, never cutting a document's stories apart,
    each with the documents it needs."""
    batches: list[tuple[list[Document], list[Story]]] = []
    for story in stories:
        if story.story_index == 0 and (not batches or len(batches[-1][1]) >= BATCH_STORIES):
            batches.append(([], []))
        docs, part = batches[-1]
        if story.story_index == 0 or not docs or docs[-1].doc_id != story.doc_id:
            docs.append(documents[story.doc_id])
        part.append(story)
    return batches


def sign_batch(batch: tuple[list[Document], list[Story]], today: dt.date | None,
               settings: DuplicateSettings, title_weight: int | None = None) -> SignedBatch:
    """Stories described (``describe``), and the shingle sets and signatures of their clean words: each
    document's text is tokenised once for both. With ``title_weight``, also each story's bag of words as the
    events stage counts it (``events.words``): per-story work, so it runs here, on every core."""
    docs, stories = batch
    by_id = {d.doc_id: d for d in docs}
    described: list[Story] = []
    partials: list[tuple[int, PartialDate]] = []
    clean: list[Words] = []
    doc_id, doc_words = "", words("")
    for story in stories:
        doc = by_id[story.doc_id]
        if story.doc_id != doc_id:
            doc_id, doc_words = story.doc_id, words(doc.text)
        out, partial = describe(doc, story, doc_words, today)
        if partial is not None:
            partials.append((len(described), partial))
        described.append(out)
        clean.append(doc_words.within(out.clean_ranges()))
    sets = shingle_sets(clean, settings.shingle_size)
    bags = {}
    if title_weight is not None:
        for story in described:
            text = representative_text(story.title, story.clean_text(by_id[story.doc_id].text), title_weight)
            bags[digest(text)] = packed(bag_of(text))
    return SignedBatch(described, partials, sets, signatures(sets, settings.num_perm, settings.seed), bags)


def joined_sets(batches: Sequence[SignedBatch], num_perm: int) -> tuple[ShingleSets, np.ndarray]:
    """The batches' shingle sets and signatures as one, in story order."""
    return finish(joined_set_steps(batches, num_perm))


def joined_set_steps(batches: Sequence[SignedBatch], num_perm: int
                     ) -> Generator[None, None, tuple[ShingleSets, np.ndarray]]:
    """``joined_sets``, yielding after about every ``shared.VALUES_AT_ONCE`` shingles copied (one
    concatenation of all took seconds at 400,000 stories)."""
    at_once = shared.VALUES_AT_ONCE
    if not batches:
        return ShingleSets(np.zeros(0, np.uint64), np.zeros(1, np.int64)), np.zeros((0, num_perm), np.uint32)
    values = np.empty(sum(len(b.sets.values) for b in batches), np.uint64)
    at = reported = 0
    for b in batches:
        values[at:at + len(b.sets.values)] = b.sets.values
        at += len(b.sets.values)
        if at - reported >= at_once:
            reported = at
            yield None
    sizes = np.concatenate([b.sets.sizes() for b in batches])
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    yield None
    return ShingleSets(values, offsets), np.concatenate([b.signatures for b in batches])
