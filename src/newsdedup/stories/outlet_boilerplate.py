"""Boilerplate repeated across the documents of one outlet: sign-offs, signatures, newsletter plugs.

A paragraph is this kind of boilerplate when documents of one outlet (a story's ``source``) that otherwise
say different things carry it, or a near-identical variant of it. Forty reprints of one wire story share
all their paragraphs, and none of that is boilerplate: so documents that are near-duplicates of each other
count once, and a paragraph is flagged only when at least ``min_documents`` mutually different documents
carry it. Quoted lines ("> ...", a Usenet or e-mail reply quoting another post) are reuse, not
boilerplate, and are never flagged here.

How, in bulk and in memory linear in the corpus:
1. every paragraph of every story becomes a set of word shingles that never cross a paragraph end;
2. datasketch MinHash signatures of all paragraphs at once (``signatures.signatures``), cut into LSH
   bands with the band and row counts datasketch's ``MinHashLSH`` chooses for the threshold; paragraphs
   of one outlet whose signatures agree on a whole band are the same passage (connected components);
3. the same for whole stories (their text minus the boilerplate already found), verified on the
   signatures, groups near-duplicate stories;
4. a passage's support is the number of documents carrying it; it is boilerplate when it spans at least
   ``min_documents`` different story groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
from datasketch import MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsdedup.model import BoilerplateSpan, Document, Progress, Steps, Story
from newsdedup.signatures import ShingleSets, signatures
from newsdedup.stories.boilerplate import REPEATED_ACROSS_OUTLET
from newsdedup.stories.paragraphs import paragraphs
from newsdedup.text import shingles_within, words

_QUOTED = re.compile(r"^[ \t]*[>|]")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_CHUNK_PARAGRAPHS = 1 << 15


@dataclass(frozen=True)
class OutletBoilerplateSettings:
    min_documents: int = 5  # different (not near-duplicate) documents of one outlet carrying a passage
    passage_similarity: float = 0.7  # MinHash Jaccard at which two paragraphs are one passage's variants
    duplicate_similarity: float = 0.5  # stories this alike count as one text when counting support
    shingle_size: int = 3
    num_perm: int = 32
    seed: int = 11


@dataclass(frozen=True)
class _Paragraphs:
    """Every paragraph of every story, flattened, with its word shingles."""

    story: np.ndarray  # index into the stories
    start: np.ndarray
    end: np.ndarray
    eligible: np.ndarray  # has words and is not quoted text
    in_story_text: np.ndarray  # not already boilerplate of its own document
    sets: ShingleSets


def _story_paragraphs(doc: Document, story: Story, doc_words) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                       np.ndarray]:
    """Paragraph starts and ends of a story, and its words' hashes with the paragraph each lies in."""
    paras = paragraphs(doc.text, story.start, story.end)
    starts = np.fromiter((p.start for p in paras), np.int64, len(paras))
    ends = np.fromiter((p.end for p in paras), np.int64, len(paras))
    w = doc_words.within([(story.start, story.end)])
    k = np.searchsorted(starts, w.starts, side="right") - 1
    ok = (k >= 0) & (w.ends <= ends[np.clip(k, 0, None)]) if len(paras) else np.zeros(len(w), bool)
    return starts, ends, w.hashes[ok], k[ok]


def _quoted(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per paragraph: every line of it is quoted ("> ..."), as replies quote the post they answer."""
    out = np.zeros(len(starts), dtype=bool)
    if ">" in text or "|" in text:  # most documents quote nothing: no per-paragraph work for them
        for j, (a, b) in enumerate(zip(starts, ends)):
            out[j] = all(_QUOTED.match(line) for line in text[a:b].split("\n"))
    return out


def _collect(documents: tuple[Document, ...], stories: list[Story], k: int) -> _Paragraphs:
    """Flatten every story's paragraphs into arrays (memory linear in the corpus: arrays, not objects)."""
    by_id = {d.doc_id: d for d in documents}
    doc_words = {}
    parts: list[tuple[np.ndarray, ...]] = []
    values = []
    for i, story in enumerate(stories):
        doc = by_id[story.doc_id]
        if story.doc_id not in doc_words:
            doc_words = {story.doc_id: words(doc.text)}  # stories of one document are consecutive
        starts, ends, hashes, para_of_word = _story_paragraphs(doc, story, doc_words[story.doc_id])
        counts = np.bincount(para_of_word, minlength=len(starts))
        boiler = np.asarray([(b.start, b.end) for b in story.boilerplate], dtype=np.int64).reshape(-1, 2)
        clean = ~np.isin(starts, boiler[:, 0]) | ~np.isin(ends, boiler[:, 1])
        eligible = (counts > 0) & ~_quoted(doc.text, starts, ends)
        parts.append((np.full(len(starts), i, np.int64), starts, ends, eligible, clean, counts))
        values.append(shingles_within(hashes, para_of_word, k))
    cols = [np.concatenate(c) for c in zip(*parts)] or [np.zeros(0, np.int64)] * 6
    story_of, starts, ends, eligible, clean, size = cols
    sets = ShingleSets(np.concatenate(values) if values else np.zeros(0, np.uint64),
                       np.concatenate(([0], np.cumsum(size))).astype(np.int64))
    return _Paragraphs(story_of, starts, ends, eligible.astype(bool), clean.astype(bool), sets)


def _subset(sets: ShingleSets, lo: int, hi: int) -> ShingleSets:
    """Paragraphs lo..hi of ``sets``."""
    a, b = sets.offsets[lo], sets.offsets[hi]
    return ShingleSets(sets.values[a:b], sets.offsets[lo:hi + 1] - a)


def _band_keys(sig: np.ndarray, bands: int, rows: int, salt: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each signature, mixed with ``salt`` (the outlet) so outlets never meet."""
    keys = np.empty((len(sig), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(bands):
            acc = salt.astype(np.uint64) * _MIX
            for col in sig[:, j * rows:(j + 1) * rows].T:
                acc = (acc ^ col.astype(np.uint64)) * _MIX
            keys[:, j] = acc ^ (acc >> np.uint64(29))
    return keys


def _bucket_edges(keys: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges from each member to the first member sharing one of its band keys (a star per bucket)."""
    src, dst = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for j in range(keys.shape[1] if len(members) else 0):
        key = keys[members, j]
        order = np.argsort(key, kind="stable")
        sk = key[order]
        first = np.concatenate(([True], sk[1:] != sk[:-1]))
        rep = order[np.flatnonzero(first)][np.cumsum(first) - 1]
        moved = order != rep
        src.append(members[order[moved]])
        dst.append(members[rep[moved]])
    return np.concatenate(src), np.concatenate(dst)


def _components(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _story_groups(paras: _Paragraphs, n_stories: int, settings: OutletBoilerplateSettings) -> np.ndarray:
    """A label per story; near-duplicate stories share one."""
    keep = np.repeat(paras.eligible & paras.in_story_text, paras.sets.sizes())
    owner = np.repeat(paras.story, paras.sets.sizes())[keep]
    values = paras.sets.values[keep]
    sizes = np.bincount(owner, minlength=n_stories)
    sig = signatures(ShingleSets(values, np.concatenate(([0], np.cumsum(sizes)))), settings.num_perm,
                     settings.seed)
    bands, rows = _lsh_shape(settings.duplicate_similarity, settings.num_perm)
    has_text = np.flatnonzero(sizes > 0)
    src, dst = _bucket_edges(_band_keys(sig, bands, rows, np.zeros(n_stories, np.uint64)), has_text)
    agree = np.zeros(len(src), dtype=bool)
    for a in range(0, len(src), _CHUNK_PARAGRAPHS):
        b = a + _CHUNK_PARAGRAPHS
        agree[a:b] = (sig[src[a:b]] == sig[dst[a:b]]).mean(axis=1) >= settings.duplicate_similarity
    return _components(n_stories, src[agree], dst[agree])


def _passages(paras: _Paragraphs, outlet: np.ndarray, settings: OutletBoilerplateSettings
              ) -> Steps[np.ndarray]:
    """A stage: a passage label per paragraph (near-identical paragraphs of one outlet)."""
    n = len(paras.story)
    bands, rows = _lsh_shape(settings.passage_similarity, settings.num_perm)
    keys = np.empty((n, bands), dtype=np.uint64)
    for lo in range(0, n, _CHUNK_PARAGRAPHS):
        hi = min(n, lo + _CHUNK_PARAGRAPHS)
        sig = signatures(_subset(paras.sets, lo, hi), settings.num_perm, settings.seed)
        keys[lo:hi] = _band_keys(sig, bands, rows, outlet[paras.story[lo:hi]])
        yield Progress("boilerplate across outlet", hi, n)
    src, dst = _bucket_edges(keys, np.flatnonzero(paras.eligible))
    return _components(n, src, dst)


def _support(passage: np.ndarray, owner: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Per paragraph: how many distinct ``owner`` values the paragraphs of its passage have."""
    width = np.int64(owner.max(initial=0) + 1)
    pairs = np.unique(passage[eligible].astype(np.int64) * width + owner[eligible])
    per_passage = np.bincount(pairs // width, minlength=len(passage))
    return np.where(eligible, per_passage[passage], 0)


def outlet_boilerplate(documents: tuple[Document, ...], stories: list[Story],
                       settings: OutletBoilerplateSettings = OutletBoilerplateSettings()
                       ) -> Steps[list[Story]]:
    """A stage: ``stories`` with passages repeated across their outlet marked as boilerplate."""
    if not stories:
        return stories
    paras = _collect(documents, stories, settings.shingle_size)
    yield Progress("boilerplate across outlet", 0, len(paras.story))
    _, outlet = np.unique(np.asarray([s.source for s in stories], dtype=object).astype(str), return_inverse=True)
    passage = yield from _passages(paras, outlet, settings)
    doc_index = np.unique(np.asarray([s.doc_id for s in stories], dtype=object).astype(str),
                          return_inverse=True)[1]
    groups = _story_groups(paras, len(stories), settings)
    different = _support(passage, groups[paras.story], paras.eligible)
    documents_with = _support(passage, doc_index[paras.story], paras.eligible)
    # Both counts: stories split from one file are different stories but not different documents.
    flagged = np.flatnonzero((different >= settings.min_documents) & (documents_with >= settings.min_documents))
    return _mark(stories, paras, flagged, documents_with)


def _mark(stories: list[Story], paras: _Paragraphs, flagged: np.ndarray, support: np.ndarray) -> list[Story]:
    """Add the flagged paragraphs to their stories' boilerplate, replacing a span with the same bounds."""
    new: dict[int, dict[tuple[int, int], BoilerplateSpan]] = {}
    for i in flagged:
        s, start, end = int(paras.story[i]), int(paras.start[i]), int(paras.end[i])
        spans = new.setdefault(s, {(b.start, b.end): b for b in stories[s].boilerplate})
        spans[(start, end)] = BoilerplateSpan(start, end, REPEATED_ACROSS_OUTLET, int(support[i]))
    out = list(stories)
    for s, spans in new.items():
        out[s] = replace(out[s], boilerplate=tuple(sorted(spans.values(), key=lambda b: b.start)))
    return out
