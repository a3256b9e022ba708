"""The data model: what a scan reads, finds and reports.

Every class a stage returns is a frozen dataclass, so a result can be shared between threads (the GUI's
worker and its window) and cached by later stages without anyone changing it underneath. Character offsets always point
into ``Document.text``, the original text as it was decoded, so a span can be shown exactly as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar


@dataclass(frozen=True)
class Progress:
    """How far a stage has got: ``done`` of ``total`` units (total 0 when unknown)."""

    stage: str
    done: int
    total: int


T = TypeVar("T")
# A stage: yields Progress as it goes and returns its value. Stages call stages with ``yield from``;
# a consumer that stops iterating (the GUI's Cancel) stops it between two yields.
Steps = Generator[Progress, None, T]


def finish(steps: Generator[Any, None, T], on_progress: Callable[[Any], None] | None = None) -> T:
    """Run a stage to its return value, handing each Progress it yields to ``on_progress`` if given.
    The one synchronous driver: the CLI, the tests and the plain-function forms of the stages use it."""
    while True:
        try:
            item = next(steps)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None:
            on_progress(item)


def reported(stage: str, steps: Generator[Any, None, T], done_of: Callable[[Any], int] | None = None,
             total: int = 0) -> Steps[T]:
    """``yield from steps``, with what it yields passed on as Progress of ``stage``: a Progress keeps its
    counts under the new name (one stage to the user, not a rerun); a plain number, a sub-step's own unit,
    becomes Progress(stage, done_of(number), total)."""
    while True:
        try:
            item = next(steps)
        except StopIteration as stop:
            return stop.value
        if isinstance(item, Progress):
            yield Progress(stage, item.done, item.total)
        else:
            yield Progress(stage, done_of(item) if done_of else int(item), total)


def mapped(steps: Generator[Any, None, T], fn: Callable[[Any], Any]) -> Generator[Any, None, T]:
    """``yield from steps``, each item it yields passed through ``fn`` (a share done made Progress, Progress
    made a count); returns what ``steps`` returns."""
    while True:
        try:
            item = next(steps)
        except StopIteration as stop:
            return stop.value
        yield fn(item)


class DateProvenance(StrEnum):
    """Where a story's publication date came from."""

    EXPLICIT = "explicit"  # a full date in the text or its metadata
    METADATA = "metadata"  # a date field of the record or page (JSON, HTML meta, e-mail header)
    INFERRED = "inferred"  # day and month with a weekday and no year: the year was worked out
    NONE = "none"


class SourceProvenance(StrEnum):
    """Where a story's outlet (its ``source``) came from."""

    METADATA = "metadata"  # a source field of the record, the page's site name, the e-mail's sender
    TEXT = "text"  # the story's own text or furniture: an agency credit "(AP)", a copyright line
    FOLDER = "folder"  # nothing better: the name of the folder the file lies in
    NONE = "none"


class FileStatus(StrEnum):
    READ = "read"
    PROBLEM = "problem"
    SKIPPED = "skipped"  # seen but not a kind of file we read (an image, say); listed, not an error


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be read, and why, in words a user can act on."""

    path: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """Every file a scan saw, with what became of it: nothing disappears silently."""

    path: str  # relative to the scanned root
    status: FileStatus
    reason: str = ""
    documents: int = 0


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from disk: a file, or one record of a .json/.jsonl file."""

    doc_id: str  # path, then "#record_id" for records
    path: str  # relative to the scanned root, with forward slashes
    root: str  # the folder (or file's folder) that was scanned
    record_id: str
    text: str  # the original text, decoded
    title: str = ""
    source: str = ""
    published: dt.date | None = None
    date_provenance: DateProvenance = DateProvenance.NONE
    fmt: str = "txt"
    encoding: str = "utf-8"
    content_hash: str = ""
    source_provenance: SourceProvenance = SourceProvenance.NONE


@dataclass(frozen=True, slots=True)
class BoilerplateSpan:
    """A stretch of a document that is not story text: page furniture, a repeated caption, a sign-off."""

    start: int
    end: int
    kind: str  # "repeated_in_document", "repeated_across_outlet", "navigation"
    support: int = 1  # how many documents (or repeats within one) carry it
    kept: bool = False  # the user said it is story text after all: shown, compared, counted as text


@dataclass(frozen=True, slots=True)
class Story:
    """One news story: a document, or one of the stories a multi-story file holds."""

    story_id: str  # doc_id, then "#story_index"
    doc_id: str
    story_index: int
    start: int  # bounds within Document.text
    end: int
    title: str = ""
    source: str = ""
    published: dt.date | None = None
    date_provenance: DateProvenance = DateProvenance.NONE
    boilerplate: tuple[BoilerplateSpan, ...] = ()
    dateline: str = ""  # "BRUSSELS (AP)" where the story opens with one
    words: int = 0
    boilerplate_words: int = 0
    source_provenance: SourceProvenance = SourceProvenance.NONE

    def clean_ranges(self) -> list[tuple[int, int]]:
        """The parts of the story that are story text (boilerplate cut out), in document offsets."""
        ranges: list[tuple[int, int]] = []
        pos = self.start
        for span in sorted(self.boilerplate, key=lambda s: s.start):
            if span.kept:
                continue
            s, e = max(span.start, self.start), min(span.end, self.end)
            if s > pos:
                ranges.append((pos, s))
            pos = max(pos, e)
        if pos < self.end:
            ranges.append((pos, self.end))
        return ranges

    def clean_text(self, document_text: str) -> str:
        """The story text without its boilerplate, one line per clean range (``document_text`` is its
        Document's text): what events count and the report shows."""
        return "\n".join(document_text[s:e] for s, e in self.clean_ranges())


@dataclass(frozen=True)
class SharedPassage:
    """A run of text two stories share, as spans in both documents' original text."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    stock: bool = False  # mostly runs that many stories of the folder use: shown, not highlighted as reuse


@dataclass(frozen=True, slots=True)
class Relation:
    """Two stories that share text, graded, with the scores that grade them."""

    story_a: str
    story_b: str
    kind: str  # "exact", "near_duplicate", "copy_with_changes", "partial_reuse"
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    shared_words: int = 0


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Copies of one text: the canonical member (likely original) first."""

    group_id: int
    canonical: str  # story_id
    members: tuple[str, ...]  # story ids, canonical first
    # per member: (relation to the canonical, Jaccard to it, containment of the member in it)
    scores: tuple[tuple[str, float, float], ...] = ()

    def score_of(self, story_id: str) -> tuple[str, float, float]:
        return self.scores[self.members.index(story_id)]


@dataclass(frozen=True)
class Event:
    """Stories that report the same happening."""

    event_id: int
    label: str
    start: dt.date | None
    end: dt.date | None
    story_ids: tuple[str, ...]
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanResult:
    """Everything a scan found. Lookups by id are built on demand; the tuples are the truth."""

    documents: tuple[Document, ...] = ()
    stories: tuple[Story, ...] = ()
    relations: tuple[Relation, ...] = ()
    groups: tuple[DuplicateGroup, ...] = ()
    events: tuple[Event, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: tuple[FileEntry, ...] = ()
    settings: dict = field(default_factory=dict)
    # story id -> what the user's decisions changed about it ("renamed", "not_duplicate", ...), sorted
    edits: dict = field(default_factory=dict)
    # how many stories hold each 5-word run that three or more hold (dedup.shared.phrase_frequency, as
    # little-endian uint64): stock phrasing is shown but not highlighted as reuse; empty if never kept
    common_phrases: bytes = b""

    def document(self, doc_id: str) -> Document:
        return self._documents_by_id()[doc_id]

    def story(self, story_id: str) -> Story:
        return self._stories_by_id()[story_id]

    def _documents_by_id(self) -> dict[str, Document]:
        cache = self.__dict__.get("_doc_index")
        if cache is None:
            cache = {d.doc_id: d for d in self.documents}
            object.__setattr__(self, "_doc_index", cache)
        return cache

    def _stories_by_id(self) -> dict[str, Story]:
        cache = self.__dict__.get("_story_index")
        if cache is None:
            cache = {s.story_id: s for s in self.stories}
            object.__setattr__(self, "_story_index", cache)
        return cache

    def story_text(self, story: Story) -> str:
        return self.document(story.doc_id).text[story.start : story.end]

    def clean_text(self, story: Story) -> str:
        return story.clean_text(self.document(story.doc_id).text)

    def relations_of(self, story_id: str) -> list[Relation]:
        return [r for r in self.relations if story_id in (r.story_a, r.story_b)]
