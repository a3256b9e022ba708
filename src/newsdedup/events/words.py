"""The words of each story the events are made of: its terms, which of them are names, and their TF-IDF rows.

A story's words are counted once into a bag (``WordBag``: each term, how often it stands, how often as a
name). ``vector_steps`` makes the folder's TF-IDF matrix from the bags. A workspace keeps the bags, by a
digest of the text they were counted from (``WordBags``), so a rescan counts only the words of stories
whose text changed: counting is most of the events' cost in a rescan after a few edits.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from newsdedup.events.idf import blended_idf, frequencies_of
from newsdedup.events.subjects import joined_names

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # words of letters; "Rutte's" counts as "Rutte"
_WORDS = re.compile(TOKEN_PATTERN)
TERMS_AT_ONCE = 250_000  # terms whose background frequency is looked up between two reports
# and figures ("4,001,000", "14.8", "33"), not years nor single digits: two earnings briefs in one template
# ("Shr 33 cts vs 29 cts") differ only in their company and their figures, and reports of one happening
# share theirs ("killed 23", "$400 million")
_TERMS = re.compile(TOKEN_PATTERN + r"|(?<![\w.,])(?!(?:19|20)\d\d\b)(?:\d+(?:[.,]\d+)+|\d{2,})(?!\w)")
# the first word of a line or a sentence has a capital whatever it is ("Shr 12 cts", "Police said")
_FIRST = re.compile(r"(?:^|[.!?:;]\s+)[\s\"“‘'(\[«*•-]*\b([^\W\d_]{2,})\b", re.M)


@dataclass(frozen=True)
class FolderCounts:
    """In how many documents of the whole folder each term stands, and the folder's documents and words:
    what the idf is made of, so that vectors made a block of stories at a time (the cluster scan) weigh
    words as the whole folder's vectors do."""

    df: dict[str, int]
    documents: int
    words: int
    names: dict = field(default_factory=dict)  # headline names seen beside tickers (``subjects.names_seen``)

    def __add__(self, other: FolderCounts) -> FolderCounts:
        df = dict(self.df)
        for term, k in other.df.items():
            df[term] = df.get(term, 0) + k
        return FolderCounts(df, self.documents + other.documents, self.words + other.words,
                            joined_names(self.names, other.names))


def folder_counts(docs: Sequence[str]) -> FolderCounts:
    """``FolderCounts`` of ``docs`` (words as ``vector_steps`` reads them)."""
    df: dict[str, int] = {}
    words = 0
    for doc in docs:
        found = _named(doc)[0]
        words += len(found)
        for term in {w.lower() for w in found}:
            df[term] = df.get(term, 0) + 1
    return FolderCounts(df, len(docs), words)


def vector_steps(docs: Sequence[str], settings, chunk: int = 128, folder: FolderCounts | None = None,
                 known: WordBags | None = None):
    """The L2-normalised TF-IDF rows of ``docs`` (sublinear tf, blended idf) and their terms, as a
    generator: yields the documents counted so far, returns (matrix, terms), or (None, None) when no
    document has a word. ``settings``: ``EventSettings``.

    Words are counted a chunk of documents at a time, so a caller can report progress and stop between
    chunks. Names tell one happening from another of the same kind (this pirate attack, that one) better
    than the words of the kind do, so a name weighs ``name_weight`` times its plain count (see
    ``_named``). ``folder``: the idf from these counts instead of ``docs``' own. ``known``: bags counted
    before, taken from there where a document's text is the same (and the new ones kept there)."""
    vocabulary: dict[str, int] = {}  # a term's column: the order terms first stand in
    # per chunk: each row's terms sorted, their counts, and their weights (a name counts name_weight times):
    # compact arrays, so no pass over every term of the folder at the end (seconds and a gigabyte at 200,000)
    index_parts: list[np.ndarray] = []
    found_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    indptr = [0]
    for s in range(0, len(docs), chunk):
        at: list[np.ndarray] = []
        counted: list[np.ndarray] = []
        as_names: list[np.ndarray] = []
        for doc in docs[s:s + chunk]:
            bag = known.bag(doc) if known is not None else bag_of(doc)
            # a new term's column is the vocabulary's length before it is added
            at.append(np.array([vocabulary.setdefault(t, len(vocabulary)) for t in bag.terms], np.int64))
            counted.append(bag.counts)
            as_names.append(bag.names)
            indptr.append(indptr[-1] + len(bag.terms))
        index = np.concatenate(at)
        rows = np.repeat(np.arange(len(at), dtype=np.int64), [len(a) for a in at])
        order = np.argsort(rows * (len(vocabulary) + 1) + index, kind="stable")
        index_parts.append(index[order].astype(np.int32))
        found = np.concatenate(counted)[order].astype(np.float64)
        named = np.concatenate(as_names)[order].astype(np.float64)
        found_parts.append(found.astype(np.float32))
        weight_parts.append(((found - named) + named * settings.name_weight).astype(np.float32))
        yield min(s + chunk, len(docs))
    if not vocabulary:  # not one word in any document
        return None, None
    # each step below takes a second or more at 100,000 documents: a report between them
    shape = (len(docs), len(vocabulary))
    pointers = np.asarray(indptr, np.int64)
    weights = np.concatenate(weight_parts)
    counts = sp.csr_matrix((np.concatenate(found_parts), np.concatenate(index_parts), pointers), shape=shape)
    del weight_parts, found_parts, index_parts  # each as big as the matrix: not held through the idf
    yield len(docs)
    listed = list(vocabulary)
    del vocabulary  # a million terms' dict at 400,000 stories
    terms = np.array(listed, dtype=object)
    if folder is None:
        df = np.bincount(counts.indices, minlength=len(terms))
        documents, mean_length = counts.shape[0], float(counts.sum()) / max(counts.shape[0], 1)
    else:
        df = np.fromiter((folder.df.get(t, 0) for t in terms), dtype=np.int64, count=len(terms))
        documents, mean_length = folder.documents, folder.words / max(folder.documents, 1)
    yield len(docs)
    # the terms' frequencies in general text, a slice at a time (a million terms take a second or two)
    frequency = []
    looked_up = known.frequencies if known is not None else None  # a workspace's, or none kept
    for lo in range(0, len(listed), TERMS_AT_ONCE):
        frequency.append(frequencies_of(listed[lo:lo + TERMS_AT_ONCE], settings.language, looked_up))
        yield len(docs)
    del listed
    idf = blended_idf(terms, df, documents, mean_length, settings.language, frequency=np.concatenate(frequency))
    # a word that most documents carry says nothing about which event one reports
    idf[idf < 1.0 + np.log(2.0)] = 0.0
    counts.data = (1.0 + np.log(counts.data)) * (weights / counts.data)  # sublinear tf, names weighed
    del weights
    weighed = counts @ sp.diags(idf.astype(np.float32))
    del counts
    yield len(docs)
    matrix = normalize(weighed, copy=False)
    matrix.eliminate_zeros()
    return matrix.astype(np.float32, copy=False), terms


class WordBag(NamedTuple):
    """A document's terms (lower case, in the order they first stand), how often each stands, and how
    often written as a name."""

    terms: list[str]
    counts: np.ndarray  # int64
    names: np.ndarray  # int64


def bag_of(doc: str) -> WordBag:
    """The ``WordBag`` of ``doc``."""
    words, names = _named(doc)
    if not words:
        return WordBag([], np.zeros(0, np.int64), np.zeros(0, np.int64))
    lowered = "\n".join(words).lower().split("\n")  # one lower() for all the words: no word holds a line end
    column = {w: i for i, w in enumerate(dict.fromkeys(lowered))}  # a loop over the distinct terms only
    at = np.fromiter(map(column.__getitem__, lowered), np.int64, len(lowered))
    return WordBag(list(column), np.bincount(at, minlength=len(column)),
                   np.bincount(at[np.asarray(names, bool)], minlength=len(column)))


WORDS_VERSION = b"words-1"  # part of every digest: a change to how words are read makes saved bags unused


def digest(doc: str) -> bytes:
    """What a saved bag is found by: a hash of the text counted (and of ``WORDS_VERSION``)."""
    return hashlib.blake2b(doc.encode("utf-8", "surrogatepass"), digest_size=16, person=WORDS_VERSION).digest()


def packed(bag: WordBag) -> tuple[bytes, bytes]:
    """A bag as two compressed blobs, its terms and its counts, as a workspace keeps it."""
    counts = np.concatenate((bag.counts, bag.names)).astype("<u4")
    return (zlib.compress("\n".join(bag.terms).encode("utf-8", "surrogatepass"), 1),
            zlib.compress(counts.tobytes(), 1))


def unpacked(terms: bytes, counts: bytes) -> WordBag:
    text = zlib.decompress(terms).decode("utf-8", "surrogatepass")
    both = np.frombuffer(zlib.decompress(counts), "<u4").astype(np.int64)
    n = len(both) // 2
    return WordBag(text.split("\n") if text else [], both[:n], both[n:])


class WordBags:
    """The bags of words of a scan's stories: found where they were counted before, counted where not.

    ``saved``: a workspace's, and ``counted``: the scan's workers' (both digest -> packed bag, see
    ``representative_text``). After the events stage, ``used`` holds every bag it read, by digest, and
    ``counted`` how many it had to count itself. Bags are held packed: a kilobyte or so, where a bag of
    Python strings takes ten (a million of those would not fit in memory)."""

    def __init__(self, saved: Mapping[bytes, tuple[bytes, bytes]] | None = None,
                 counted: Mapping[bytes, tuple[bytes, bytes]] | None = None,
                 frequencies: Mapping[str, float] | None = None) -> None:
        self.saved = dict(saved or {})
        self.given = dict(counted or {})
        # the terms' frequencies in general text looked up before (see ``idf.frequencies_of``), a
        # workspace's: the ones looked up in this scan are added after them. None: a scan that keeps none
        # (they would hold a few hundred megabytes at a million stories)
        self.frequencies = dict(frequencies) if frequencies is not None else None
        self._frequencies_saved = len(self.frequencies or {})
        self.used: dict[bytes, tuple[bytes, bytes]] = {}
        self.counted = 0  # bags counted here, found neither saved nor given

    def bag(self, doc: str) -> WordBag:
        key = digest(doc)
        found = self.used.get(key) or self.saved.get(key) or self.given.get(key)
        if found is not None:
            self.used[key] = found
            return unpacked(*found)
        bag = bag_of(doc)
        self.counted += 1
        self.used[key] = packed(bag)
        return bag

    def unused(self) -> list[bytes]:
        """The saved bags no story read any more."""
        return [key for key in self.saved if key not in self.used]

    def new(self) -> dict[bytes, tuple[bytes, bytes]]:
        """The bags read that were not saved."""
        return {key: bag for key, bag in self.used.items() if key not in self.saved}

    def new_frequencies(self) -> list[tuple[str, float]]:
        """The terms' frequencies looked up in this scan (none of them were saved)."""
        return list(self.frequencies.items())[self._frequencies_saved:] if self.frequencies is not None else []


def representative_text(title: str, text: str, title_weight: int) -> str:
    """What is counted of a story that speaks for its duplicate group: its title ``title_weight`` times,
    then its clean text."""
    return ((_whole_words(title) + "\n") * title_weight) + text


def _whole_words(title: str) -> str:
    """A title shortened with "…" may end in half a word ("allie…"): leave that half out."""
    return title[:-1].rsplit(None, 1)[0] if title.endswith("…") and " " in title else title


def _named(doc: str) -> tuple[list[str], list[bool]]:
    """The words of ``doc`` and which of them are names: written with a capital, and written so somewhere
    in the document where no capital is required (not first in its line or sentence, not in a line shouted
    in capitals throughout). So "Gulf" in "Gulf of Aden" is a name and "gulf" in "a widening gulf" is not;
    "Williams" opening a sentence is, since the story also writes "said Williams"; but "Shr" opening every
    row of an earnings table is not, nor is "ARRESTED" in a shouted headline."""
    doc = _unshouted(doc)
    words = _TERMS.findall(doc)  # strings, not match objects: a third of the time
    capital = [w[0].isupper() for w in words]
    if not any(capital):
        return words, capital
    # a word opening a line or sentence is also one of ``words``: a capitalised word is a name when it
    # stands capitalised more often than in such places
    opening = Counter(w for w in _FIRST.findall(doc) if w[0].isupper())
    names = {w for w, k in Counter(compress(words, capital)).items() if k > opening.get(w, 0)}
    return words, [c and w in names for w, c in zip(words, capital)]


def _unshouted(text: str) -> str:
    """Lines of two words or more written in capitals throughout (a shouted headline, "CHARGERS' WILLIAMS
    ARRESTED ON SUSPICION OF DUI") in lower case: their capitals say nothing about which words are names.
    A line of one word in capitals ("NATO") may well be a name."""
    lines = text.split("\n")
    shouted = [line.isupper() and len(_WORDS.findall(line)) > 1 for line in lines]
    if not any(shouted):
        return text
    return "\n".join(line.lower() if loud else line for line, loud in zip(lines, shouted))


