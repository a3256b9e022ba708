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
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from datasketch import MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsdedup.model import BoilerplateSpan, Document, Progress, Steps, Story, finish, mapped
from newsdedup.signatures import ShingleSets, distinct, signatures
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
class OutletParagraphs:
    """What the outlet pass needs of every paragraph of some stories, flattened into arrays (memory linear
    in the corpus: arrays, not objects). Made per story, so a worker can make a batch's (``paragraphs_of``)
    and the batches join end to end (``joined``)."""

    story: np.ndarray  # index into the stories
    start: np.ndarray
    end: np.ndarray
    eligible: np.ndarray  # has words and is not quoted text
    in_story_text: np.ndarray  # not already boilerplate of its own document
    signatures: np.ndarray  # MinHash of each paragraph's shingles (paragraphs x num_perm)
    story_signatures: np.ndarray  # of each story's eligible paragraphs in its story text (stories x num_perm)
    story_has_text: np.ndarray  # per story: it has such a paragraph with shingles


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


def _not_boilerplate(story: Story, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per paragraph: its start is no boilerplate span's start, or its end no span's end."""
    if not story.boilerplate:  # most stories: no np.isin, whose fixed cost is most of a small story's
        return np.ones(len(starts), dtype=bool)
    spans_start = {b.start for b in story.boilerplate}
    spans_end = {b.end for b in story.boilerplate}
    return np.fromiter((a not in spans_start or b not in spans_end for a, b in zip(starts.tolist(), ends.tolist())),
                       dtype=bool, count=len(starts))


def _quoted(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per paragraph: every line of it is quoted ("> ..."), as replies quote the post they answer."""
    out = np.zeros(len(starts), dtype=bool)
    if ">" in text or "|" in text:  # most documents quote nothing: no per-paragraph work for them
        for j, (a, b) in enumerate(zip(starts, ends)):
            out[j] = all(_QUOTED.match(line) for line in text[a:b].split("\n"))
    return out


def paragraphs_of(documents: Mapping[str, Document] | Sequence[Document], stories: Sequence[Story],
                  settings: OutletBoilerplateSettings = OutletBoilerplateSettings()) -> OutletParagraphs:
    """The paragraphs of ``stories`` with their signatures (each document's words made once)."""
    by_id = documents if isinstance(documents, Mapping) else {d.doc_id: d for d in documents}
    doc_id, doc_words = "", words("")
    parts: list[tuple[np.ndarray, ...]] = []
    values = []
    for i, story in enumerate(stories):
        doc = by_id[story.doc_id]
        if story.doc_id != doc_id:  # stories of one document are consecutive
            doc_id, doc_words = story.doc_id, words(doc.text)
        starts, ends, hashes, para_of_word = _story_paragraphs(doc, story, doc_words)
        counts = np.bincount(para_of_word, minlength=len(starts))
        clean = _not_boilerplate(story, starts, ends)
        eligible = (counts > 0) & ~_quoted(doc.text, starts, ends)
        parts.append((np.full(len(starts), i, np.int64), starts, ends, eligible, clean, counts))
        values.append(shingles_within(hashes, para_of_word, settings.shingle_size))
    cols = [np.concatenate(c) for c in zip(*parts)] or [np.zeros(0, np.int64)] * 6
    story_of, starts, ends, eligible, clean, size = cols
    sets = ShingleSets(np.concatenate(values) if values else np.zeros(0, np.uint64),
                       np.concatenate(([0], np.cumsum(size))).astype(np.int64))
    sigs = np.concatenate([signatures(_subset(sets, lo, min(len(story_of), lo + _CHUNK_PARAGRAPHS)),
                                      settings.num_perm, settings.seed)
                           for lo in range(0, len(story_of), _CHUNK_PARAGRAPHS)] or
                          [np.zeros((0, settings.num_perm), np.uint32)])
    eligible, clean = eligible.astype(bool), clean.astype(bool)
    story_sigs, has_text = _story_signatures(sets, story_of, eligible & clean, len(stories), settings)
    return OutletParagraphs(story_of, starts, ends, eligible, clean, sigs, story_sigs, has_text)


def _story_signatures(sets: ShingleSets, story_of: np.ndarray, keep_paragraph: np.ndarray, n_stories: int,
                      settings: OutletBoilerplateSettings) -> tuple[np.ndarray, np.ndarray]:
    """Per story, the signature of the shingles of its kept paragraphs, and whether it has any."""
    keep = np.repeat(keep_paragraph, sets.sizes())
    owner = np.repeat(story_of, sets.sizes())[keep]
    sizes = np.bincount(owner, minlength=n_stories)
    sig = signatures(ShingleSets(sets.values[keep], np.concatenate(([0], np.cumsum(sizes)))), settings.num_perm,
                     settings.seed)
    return sig, sizes > 0


def joined(parts: Sequence[OutletParagraphs], num_perm: int) -> OutletParagraphs:
    """Batches' paragraphs as one, their story numbers counted on from the batches before."""
    if not parts:
        empty = np.zeros(0, np.int64)
        return OutletParagraphs(empty, empty, empty, empty.astype(bool), empty.astype(bool),
                                np.zeros((0, num_perm), np.uint32), np.zeros((0, num_perm), np.uint32),
                                empty.astype(bool))
    offsets = np.cumsum([0] + [len(p.story_has_text) for p in parts[:-1]])
    return OutletParagraphs(np.concatenate([p.story + o for p, o in zip(parts, offsets)]),
                            *(np.concatenate([getattr(p, name) for p in parts])
                              for name in ("start", "end", "eligible", "in_story_text", "signatures",
                                           "story_signatures", "story_has_text")))


def per_story(paras: OutletParagraphs) -> list[OutletParagraphs]:
    """``paras`` cut into one part per story (each numbering its story 0), to be kept per story (a
    workspace keeps them, see ``paragraphs_to_bytes``) and put together again with ``joined``."""
    n = len(paras.story_has_text)
    bounds = np.searchsorted(paras.story, np.arange(n + 1))  # a story's paragraphs are consecutive
    return [OutletParagraphs(paras.story[a:b] - i, paras.start[a:b], paras.end[a:b], paras.eligible[a:b],
                             paras.in_story_text[a:b], paras.signatures[a:b], paras.story_signatures[i:i + 1],
                             paras.story_has_text[i:i + 1])
            for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))]


def paragraphs_to_bytes(part: OutletParagraphs) -> bytes:
    """One story's part (see ``per_story``) as bytes: counts, bounds, flags, then the signatures."""
    head = np.array([len(part.start), part.story_signatures.shape[1], int(part.story_has_text[0])], np.int64)
    flags = part.eligible.astype(np.uint8) | (part.in_story_text.astype(np.uint8) << 1)
    return b"".join((head.tobytes(), part.start.astype(np.int64).tobytes(), part.end.astype(np.int64).tobytes(),
                     flags.tobytes(), part.signatures.astype(np.uint32).tobytes(),
                     part.story_signatures.astype(np.uint32).tobytes()))


def paragraphs_from_bytes(data: bytes, num_perm: int) -> OutletParagraphs | None:
    """A story's part as ``paragraphs_to_bytes`` wrote it; None if written with another ``num_perm``."""
    n, perm, has_text = (int(x) for x in np.frombuffer(data, np.int64, 3))
    if perm != num_perm:
        return None
    at = 24
    start, end = np.frombuffer(data, np.int64, n, at), np.frombuffer(data, np.int64, n, at + 8 * n)
    flags = np.frombuffer(data, np.uint8, n, at + 16 * n)
    sigs = np.frombuffer(data, np.uint32, (n + 1) * perm, at + 17 * n).reshape(n + 1, perm)
    return OutletParagraphs(np.zeros(n, np.int64), start, end, (flags & 1).astype(bool), (flags & 2).astype(bool),
                            sigs[:n], sigs[n:], np.array([bool(has_text)]))


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
    return finish(_bucket_edge_steps(keys, members))


def _bucket_edge_steps(keys: np.ndarray, members: np.ndarray) -> Generator[float, None, tuple[np.ndarray, np.ndarray]]:
    """``_bucket_edges``, yielding the share of bands done after each (a band's sort is a quarter of a
    second at 1.5 million paragraphs)."""
    src, dst = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    bands = keys.shape[1] if len(members) else 0
    for j in range(bands):
        key = keys[members, j]
        order = np.argsort(key, kind="stable")
        sk = key[order]
        first = np.concatenate(([True], sk[1:] != sk[:-1]))
        rep = order[np.flatnonzero(first)][np.cumsum(first) - 1]
        moved = order != rep
        src.append(members[order[moved]])
        dst.append(members[rep[moved]])
        yield (j + 1) / bands
    return np.concatenate(src), np.concatenate(dst)


def _components(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _story_groups(paras: OutletParagraphs, outlet: np.ndarray, settings: OutletBoilerplateSettings) -> np.ndarray:
    """A label per story; near-duplicate stories of one outlet share one. Within an outlet only, as the
    passages: so what the pass finds for an outlet depends on that outlet's stories alone, and a rescan
    that does it again for the outlets whose documents changed finds what a scan of all finds (and so
    does a cluster, which gives each task some outlets)."""
    sig = paras.story_signatures
    bands, rows = _lsh_shape(settings.duplicate_similarity, settings.num_perm)
    has_text = np.flatnonzero(paras.story_has_text)
    src, dst = _bucket_edges(_band_keys(sig, bands, rows, outlet.astype(np.uint64)), has_text)
    agree = np.zeros(len(src), dtype=bool)
    for a in range(0, len(src), _CHUNK_PARAGRAPHS):
        b = a + _CHUNK_PARAGRAPHS
        agree[a:b] = (sig[src[a:b]] == sig[dst[a:b]]).mean(axis=1) >= settings.duplicate_similarity
    return _components(len(outlet), src[agree], dst[agree])


def _passages(paras: OutletParagraphs, outlet: np.ndarray, settings: OutletBoilerplateSettings
              ) -> Steps[np.ndarray]:
    """A stage: a passage label per paragraph (near-identical paragraphs of one outlet)."""
    n = len(paras.story)
    bands, rows = _lsh_shape(settings.passage_similarity, settings.num_perm)
    keys = np.empty((n, bands), dtype=np.uint64)
    for lo in range(0, n, _CHUNK_PARAGRAPHS):
        hi = min(n, lo + _CHUNK_PARAGRAPHS)
        keys[lo:hi] = _band_keys(paras.signatures[lo:hi], bands, rows, outlet[paras.story[lo:hi]])
        yield Progress("boilerplate across outlet", hi // 2, n)
    src, dst = yield from mapped(_bucket_edge_steps(keys, np.flatnonzero(paras.eligible)),
                                 lambda share: Progress("boilerplate across outlet", n // 2 + int(share * (n // 2)), n))
    return _components(n, src, dst)


def _support(passage: np.ndarray, owner: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Per paragraph: how many distinct ``owner`` values the paragraphs of its passage have."""
    width = np.int64(owner.max(initial=0) + 1)
    pairs = distinct(passage[eligible].astype(np.int64) * width + owner[eligible])
    per_passage = np.bincount(pairs // width, minlength=len(passage))
    return np.where(eligible, per_passage[passage], 0)


def outlet_boilerplate(documents: tuple[Document, ...], stories: list[Story],
                       settings: OutletBoilerplateSettings = OutletBoilerplateSettings(),
                       paragraphs: OutletParagraphs | None = None) -> Steps[list[Story]]:
    """A stage: ``stories`` with passages repeated across their outlet marked as boilerplate.

    ``paragraphs``: the stories' ``paragraphs_of``, when made already (in batches, on workers)."""
    if not stories:
        return stories
    paras = paragraphs if paragraphs is not None else paragraphs_of(documents, stories, settings)
    yield Progress("boilerplate across outlet", 0, len(paras.story))
    _, outlet = np.unique(np.asarray([s.source for s in stories], dtype=object).astype(str), return_inverse=True)
    passage = yield from _passages(paras, outlet, settings)
    n = len(paras.story)
    # a number per document (its stories are consecutive): no sort of every story's id as text
    doc_index = np.cumsum([i == 0 or s.doc_id != stories[i - 1].doc_id for i, s in enumerate(stories)]) - 1
    groups = _story_groups(paras, outlet, settings)
    yield Progress("boilerplate across outlet", n, n)  # each step after the passages is a second or two at 200k
    different = _support(passage, groups[paras.story], paras.eligible)
    documents_with = _support(passage, doc_index[paras.story], paras.eligible)
    # Both counts: stories split from one file are different stories but not different documents.
    flagged = np.flatnonzero((different >= settings.min_documents) & (documents_with >= settings.min_documents))
    yield Progress("boilerplate across outlet", n, n)
    return (yield from _mark(stories, paras, flagged, documents_with))


MARK_STORIES = 20_000  # stories given their spans between two progress reports


def _mark(stories: list[Story], paras: OutletParagraphs, flagged: np.ndarray, support: np.ndarray) -> Steps[list[Story]]:
    """Add the flagged paragraphs to their stories' boilerplate, replacing a span with the same bounds."""
    new: dict[int, dict[tuple[int, int], BoilerplateSpan]] = {}
    n = len(paras.story)
    for s, start, end, k in zip(paras.story[flagged].tolist(), paras.start[flagged].tolist(),
                                paras.end[flagged].tolist(), support[flagged].tolist()):
        spans = new.get(s)
        if spans is None:
            spans = new[s] = {(b.start, b.end): b for b in stories[s].boilerplate}
            if len(new) % MARK_STORIES == 0:
                yield Progress("boilerplate across outlet", n, n)
        spans[(start, end)] = BoilerplateSpan(start, end, REPEATED_ACROSS_OUTLET, k)
    out = list(stories)
    for done, (s, spans) in enumerate(new.items()):
        out[s] = replace(out[s], boilerplate=tuple(sorted(spans.values(), key=lambda b: b.start)))
        if done % MARK_STORIES == MARK_STORIES - 1:
            yield Progress("boilerplate across outlet", n, n)
    return out
