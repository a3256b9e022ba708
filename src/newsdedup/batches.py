"""The per-document work of a scan in batches, each a plain function a worker process can run (``pool``).

Two kinds of batch, around the one step that needs the whole corpus (boilerplate repeated across an
outlet, ``stories.outlet_boilerplate``):
- ``read_batch``: consecutive files read (``ingest.read_one``), split into stories with their own
  boilerplate (``stories.build.document_stories``), and their paragraphs signed for the outlet pass
  (``stories.outlet_boilerplate.paragraphs_of``);
- ``sign_batch``: consecutive stories, each document's words made once (``text.words``) and used for the
  story's title, date and word counts (``describe``) and for its clean words, whose shingle sets and
  MinHash signatures are made here too.
Each calls the very functions a scan in one process calls, per file and per story, so the batches' results
put end to end are the one-process results, whatever the cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.ingest.files import read_one
from newsdedup.model import Document, FileEntry, Problem, Story
from newsdedup.signatures import ShingleSets, shingle_sets, signatures
from newsdedup.stories.build import describe
from newsdedup.stories.build import document_stories as first_pass
from newsdedup.stories.dates import PartialDate
from newsdedup.stories.outlet_boilerplate import OutletBoilerplateSettings, OutletParagraphs, paragraphs_of
from newsdedup.text import Words, words

BATCH_BYTES = 1 << 21  # about 2 MB of files per read batch: a second or so of work, so progress moves
BATCH_FILES = 256
BATCH_STORIES = 1000


@dataclass(frozen=True)
class ReadBatch:
    documents: list[Document]
    files: list[FileEntry]
    problems: list[Problem]
    stories: list[Story]  # with each document's own boilerplate, not yet the outlet's
    paragraphs: OutletParagraphs  # what the outlet's boilerplate is looked for in


@dataclass(frozen=True)
class SignedBatch:
    stories: list[Story]  # described: title, date, word counts
    partials: list[tuple[int, PartialDate]]  # by story number within the batch
    sets: ShingleSets
    signatures: np.ndarray


def file_batches(found: Sequence[tuple[Path, Path, str, str]]) -> list[list[tuple[Path, Path, str, str]]]:
    """Consecutive files in batches of about ``BATCH_BYTES`` (a .jsonl file of many articles is one)."""
    batches: list[list] = [[]]
    size = 0
    for item in found:
        if batches[-1] and (size >= BATCH_BYTES or len(batches[-1]) >= BATCH_FILES):
            batches.append([])
            size = 0
        batches[-1].append(item)
        try:
            size += item[1].stat().st_size
        except OSError:
            pass
    return batches if batches[0] else []


def read_batch(files: list[tuple[Path, Path, str, str]], max_bytes: int,
               across: OutletBoilerplateSettings = OutletBoilerplateSettings()) -> ReadBatch:
    """Files (root, path, name, the walk's problem) read into documents, their stories' first pass, and
    the stories' paragraphs with their signatures for the outlet pass."""
    docs: list[Document] = []
    entries: list[FileEntry] = []
    problems: list[Problem] = []
    for root, path, name, problem in files:
        got, entry, in_part = read_one(root, path, max_bytes, name, problem)
        docs.extend(got)
        entries.append(entry)
        problems.extend(in_part)
    stories = [s for d in docs for s in first_pass(d)]
    return ReadBatch(docs, entries, problems, stories, paragraphs_of(docs, stories, across))


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
               settings: DuplicateSettings) -> SignedBatch:
    """Stories described (``describe``), and the shingle sets and signatures of their clean words: each
    document's text is tokenised once for both."""
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
    return SignedBatch(described, partials, sets, signatures(sets, settings.num_perm, settings.seed))


def joined_sets(batches: Sequence[SignedBatch], num_perm: int) -> tuple[ShingleSets, np.ndarray]:
    """The batches' shingle sets and signatures as one, in story order."""
    if not batches:
        return ShingleSets(np.zeros(0, np.uint64), np.zeros(1, np.int64)), np.zeros((0, num_perm), np.uint32)
    values = np.concatenate([b.sets.values for b in batches])
    sizes = np.concatenate([b.sets.sizes() for b in batches])
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    return ShingleSets(values, offsets), np.concatenate([b.signatures for b in batches])
