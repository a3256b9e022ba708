"""Partitions of a scan on the workers: a run of consecutive files, read, split into stories, described.

A partition is a ``Part``; it lives on one worker and moves only when a shuffle needs a piece of it. The
work on it is the local stages' own functions (``read_one``, ``document_stories``, ``describe``), called
file by file and story by story as the local scan calls them, so a partition's stories are the local scan's.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from newsdedup.ingest.files import read_one
from newsdedup.model import Document, FileEntry, Problem, Story
from newsdedup.signatures import ShingleSets, shingle_sets
from newsdedup.stories.build import describe_each, document_stories


@dataclass
class Part:
    """One partition: its files' documents and stories (in scan order) and, later, their shingles."""

    index: int
    documents: list[Document]
    files: list[FileEntry]
    problems: list[Problem]
    stories: list[Story]
    offset: int = 0  # scan-wide number of the first story
    sets: ShingleSets = field(default_factory=lambda: shingle_sets([], 1))  # of the stories, once signed
    sigs: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint32))
    partials: list = field(default_factory=list)  # (story number in part, PartialDate): year to infer

    def by_doc(self) -> dict[str, Document]:
        return {d.doc_id: d for d in self.documents}


def read_part(index: int, files: list[tuple[str, str, str, str, str]], max_bytes: int) -> Part:
    """Read files (root as given, root and path made absolute, name, the walk's problem with it) from a filesystem the worker shares
    with the client: a worker runs in a folder of its own, so it reads by absolute path, and the documents
    keep the root as the user gave it, as in the local scan."""
    docs: list[Document] = []
    entries: list[FileEntry] = []
    problems: list[Problem] = []
    for root, absolute_root, path, name, problem in files:
        got, entry, in_part = read_one(Path(absolute_root), Path(path), max_bytes, name, problem)
        docs.extend(replace(d, root=root) for d in got)
        entries.append(entry)
        problems.extend(in_part)
    return Part(index, docs, entries, problems, [s for d in docs for s in document_stories(d)])


def read_sent_part(index: int, items: list[tuple], max_bytes: int) -> Part:
    """Read files whose bytes the client sent: items (root, name, path under root, bytes, decided), where
    ``decided`` is what ``read_one`` said on the client of a file it could not send (unreadable, too large,
    not an article), else None. Each file is written under a private folder as it lay under its root, so
    folder names (an outlet) read the same; its documents keep the real root."""
    tmp = Path(tempfile.mkdtemp(prefix="newsdedup-part-"))
    docs: list[Document] = []
    entries: list[FileEntry] = []
    problems: list[Problem] = []
    try:
        for k, (root, name, under, data, decided) in enumerate(items):
            if decided is None:
                here = tmp / str(k) / (Path(root).name or "root")
                target = here / under
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                got, entry, in_part = read_one(here, target, max_bytes, name)
                decided = [replace(d, root=root) for d in got], entry, in_part
            docs.extend(decided[0])
            entries.append(decided[1])
            problems.extend(decided[2])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Part(index, docs, entries, problems, [s for d in docs for s in document_stories(d)])


def sent_items(files: list[tuple[Path, Path, str, str]], max_bytes: int) -> list[tuple]:
    """What ``read_sent_part`` needs of files read on the client: their bytes, or ``read_one``'s verdict on
    a file that is not to be sent (it says so without reading the file's content)."""
    from newsdedup.ingest.files import READABLE, RECORD_SUFFIXES

    items = []
    for root, path, name, problem in files:
        try:
            under = path.relative_to(root).as_posix()
        except ValueError:
            under = path.name
        suffix = path.suffix.lower()
        data, decided = None, None
        try:
            big = path.stat().st_size > max_bytes and suffix not in RECORD_SUFFIXES
            if suffix in READABLE and not big and not problem:
                data = path.read_bytes()
        except OSError:
            pass
        if data is None:
            decided = read_one(root, path, max_bytes, name, problem)
        items.append((str(root), name, under, data, decided))
    return items


def outlet_sizes(part: Part) -> Counter:
    """Stories per outlet (a story's source), to deal outlets to the tasks that look for their boilerplate."""
    return Counter(s.source for s in part.stories)


def describe_part(part: Part, today: dt.date) -> Part:
    """Each story's title, date and word counts (``describe``, as the local scan calls it); the dates that
    need the whole folder's dates to settle (``build.infer_years``) are kept in ``partials``."""
    out, partials = describe_each(part.by_doc(), list(part.stories), today)
    return replace(part, stories=out, partials=partials)


def partials_of(part: Part) -> list:
    """The part's day-month dates waiting for a year: (story number in the part, PartialDate)."""
    return part.partials


def story_count(part: Part) -> int:
    return len(part.stories)


def listing(part: Part, keep_texts: bool) -> tuple:
    """What the client keeps of a part: its documents (their text only if ``keep_texts``), files,
    problems and stories (offsets into the text, titles, dates: no text)."""
    docs = part.documents if keep_texts else [replace(d, text="") for d in part.documents]
    return docs, part.files, part.problems, part.stories
