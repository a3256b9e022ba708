"""Candidate pairs and their verification, across partitions, as the local ``find_relations`` finds them.

1. Signatures per part (``shingle_sets``, ``signatures``: per story, so a part's rows are the local rows).
2. LSH: every usable story's band keys (``band_key``, the local banding) are shuffled by key; a bucket
   pairs the stories whose key on one band is equal (``pairs_within_runs``).
3. Partial reuse: every usable story's shingles, flagged when in its bottom-k sample, are shuffled by
   shingle; a bucket counts, for each pair, the sampled shingles of one the other holds (the local
   sparse product, cut by shingle); the counts of a pair are summed where its first story lives.
4. There the two candidate lists are joined as ``candidate_pairs`` joins them, and the pairs whose shared
   count is not yet exact take the first story's shingles to the second's part, which counts them and
   grades the pair (``grade``). Each step moves only the rows it needs.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.sparse import coo_matrix

from newsdedup.cluster.partitions import Part
from newsdedup.cluster.shuffle import owner_part, split_rows
from newsdedup.dedup.candidates import band_key, needed_hits, pairs_within_runs
from newsdedup.dedup.relations import DuplicateSettings, Scores, grade
from newsdedup.model import Relation
from newsdedup.signatures import shingle_sets, signatures
from newsdedup.stories.clean import clean_texts, clean_words

_ROWS = 4096  # probing stories per sparse product, as the local search: memory stays bounded


def sign_part(part: Part, offset: int, settings: DuplicateSettings) -> Part:
    """The part's shingle sets and MinHash signatures, computed as the local scan computes them."""
    sets = shingle_sets(clean_words(part.by_doc(), part.stories), settings.shingle_size)
    return replace(part, offset=offset, sets=sets, sigs=signatures(sets, settings.num_perm, settings.seed))


def _usable(part: Part, settings: DuplicateSettings) -> np.ndarray:
    return np.flatnonzero(part.sets.sizes() >= settings.min_shingles)


def band_pieces(part: Part, bands: list[tuple[int, int]], settings: DuplicateSettings, n: int) -> list:
    """(band, key, story number) of every usable story and band, cut by key into n pieces."""
    ids = _usable(part, settings)
    sigs = part.sigs[ids]
    keys = np.concatenate([band_key(sigs, s, e) for s, e in bands]) if len(bands) else np.zeros(0, np.uint64)
    band = np.repeat(np.arange(len(bands), dtype=np.int16), len(ids))
    gid = np.tile(ids + part.offset, len(bands))
    return split_rows((keys % np.uint64(n)).astype(np.int64), n, band, keys, gid)


def near_pairs(*pieces: tuple, offsets: np.ndarray) -> list:
    """Pairs (a < b) of stories equal on one band, cut by the part of a."""
    band = np.concatenate([p[0] for p in pieces])
    key = np.concatenate([p[1] for p in pieces])
    gid = np.concatenate([p[2] for p in pieces])
    found = [pairs_within_runs(key[band == b], gid[band == b]) for b in np.unique(band)]
    pairs = _unique(np.concatenate(found)) if found else np.zeros((0, 2), np.int64)
    return split_rows(owner_part(pairs[:, 0], offsets), len(offsets) - 1, pairs[:, 0], pairs[:, 1])


def shingle_pieces(part: Part, settings: DuplicateSettings, n: int) -> list:
    """(shingle, story number, in its sample, story size) of every usable story, cut by shingle."""
    sizes = part.sets.sizes()
    owner = np.repeat(np.arange(len(sizes)), sizes)
    sampled = np.arange(len(owner)) < np.repeat(part.sets.offsets[:-1] + settings.reuse_sample, sizes)
    keep = (sizes >= settings.min_shingles)[owner]
    values = part.sets.values[keep]
    return split_rows((values % np.uint64(n)).astype(np.int64), n, values, owner[keep] + part.offset,
                      sampled[keep], sizes[owner[keep]])


def sampled_hits(*pieces: tuple, offsets: np.ndarray) -> list:
    """For pairs (p, q) with |p| <= |q|: how many of p's sampled shingles of this bucket q holds, as
    (p, q, hits, |p|), cut by the part of min(p, q)."""
    shingle, gid, sampled, size = (np.concatenate([p[k] for p in pieces]) for k in range(4))
    if len(shingle) == 0:  # no usable story has a shingle in this bucket
        empty = np.zeros(0, np.int64)
        return split_rows(empty, len(offsets) - 1, empty, empty, empty, empty)
    order = np.argsort(shingle, kind="stable")
    shingle, gid, sampled, size = shingle[order], gid[order], sampled[order], size[order]
    same = shingle[1:] == shingle[:-1]
    multi = np.concatenate(([False], same)) | np.concatenate((same, [False]))
    shingle, gid, sampled, size = shingle[multi], gid[multi], sampled[multi], size[multi]
    stories, local = np.unique(gid, return_inverse=True)
    story_size = np.zeros(len(stories), np.int64)
    story_size[local] = size
    number = np.cumsum(np.concatenate(([True], shingle[1:] != shingle[:-1]))) - 1 if len(shingle) else shingle
    m, s = len(stories), int(number[-1]) + 1 if len(number) else 0
    ones = np.ones(len(local), np.int32)
    held = coo_matrix((ones, (number, local)), shape=(s, m)).tocsr()
    samples = coo_matrix((ones[sampled], (local[sampled], number[sampled])), shape=(m, s)).tocsr()
    out = []
    for r0 in range(0, m, _ROWS):
        hits = (samples[r0:r0 + _ROWS] @ held).tocoo()
        p, q = hits.row + r0, hits.col
        keep = (p != q) & (story_size[p] <= story_size[q])
        out.append((stories[p[keep]], stories[q[keep]], hits.data[keep].astype(np.int64), story_size[p[keep]]))
    p, q, h, sp = (np.concatenate([o[k] for o in out]) if out else np.zeros(0, np.int64) for k in range(4))
    return split_rows(owner_part(np.minimum(p, q), offsets), len(offsets) - 1, p, q, h, sp)


def _unique(pairs: np.ndarray) -> np.ndarray:
    if len(pairs) == 0:
        return np.zeros((0, 2), np.int64)
    width = int(pairs.max()) + 1
    key = np.unique(pairs[:, 0].astype(np.int64) * width + pairs[:, 1])
    return np.stack((key // width, key % width), axis=1)


def _reuse_pairs(hits: list, settings: DuplicateSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Summed hits per pair, kept where they reach ``needed_hits``: (a, b, shared or -1), one row per pair,
    an exact count first where there is one (as ``sample_pairs``)."""
    p, q, h, sp = (np.concatenate([x[k] for x in hits]) for k in range(4))
    if len(p) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    width = int(max(p.max(), q.max())) + 1
    code = p * width + q
    order = np.argsort(code, kind="stable")
    code, h, sp = code[order], h[order], sp[order]
    starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    code, h, sp = code[starts], np.add.reduceat(h, starts), sp[starts]
    p, q = code // width, code % width
    keep = h >= needed_hits(sp, settings.reuse_sample, settings.partial_reuse_containment,
                            settings.miss_probability)
    p, q, h, sp = p[keep], q[keep], h[keep], sp[keep]
    a, b, shared = np.minimum(p, q), np.maximum(p, q), np.where(sp <= settings.reuse_sample, h, -1)
    order = np.lexsort((-shared, b, a))
    a, b, shared = a[order], b[order], shared[order]
    first = np.concatenate(([True], (a[1:] != a[:-1]) | (b[1:] != b[:-1])))
    return a[first], b[first], shared[first]


def first_side(part: Part, near: list, hits: list, settings: DuplicateSettings, offsets: np.ndarray) -> list:
    """The part's candidate pairs (first story here), as ``candidate_pairs`` joins them, with what the
    second story's part needs to verify and grade them; cut by the part of the second story."""
    a, b, shared = _reuse_pairs(hits, settings)
    width = int(offsets[-1]) + 1
    na = np.concatenate([x[0] for x in near]) if near else np.zeros(0, np.int64)
    nb = np.concatenate([x[1] for x in near]) if near else np.zeros(0, np.int64)
    extra = ~np.isin(na * width + nb, a * width + b)
    from_sample = np.r_[np.ones(len(a), bool), np.zeros(int(extra.sum()), bool)]
    a, b = np.r_[a, na[extra]], np.r_[b, nb[extra]]
    shared = np.r_[shared, np.full(int(extra.sum()), -1, np.int64)]
    local = a - part.offset
    sizes = part.sets.sizes()
    ids = np.array([s.story_id for s in part.stories], dtype=object)
    dest = owner_part(b, offsets)
    out = []
    for rows in split_rows(dest, len(offsets) - 1, np.arange(len(a))):
        (r,) = rows
        unknown = r[shared[r] < 0]
        own = [part.sets.of(int(k)) for k in local[unknown]]
        out.append((a[r], b[r], shared[r], from_sample[r], sizes[local[r]], ids[local[r]],
                    np.isin(r, unknown), own))
    return out


def second_side(part: Part, *pieces: tuple, settings: DuplicateSettings) -> list[tuple]:
    """Verify and grade the pairs whose second story is here: (from the sample search, a, b, Relation)."""
    sizes = part.sets.sizes()
    out = []
    for a, b, shared, from_sample, size_a, id_a, unknown, own in pieces:
        sets_a = iter(own)
        for k in range(len(a)):
            j = int(b[k]) - part.offset
            s = int(shared[k])
            if unknown[k]:
                s = len(np.intersect1d(next(sets_a), part.sets.of(j), assume_unique=True))
            sa, sb = int(size_a[k]), int(sizes[j])
            if s <= 0:
                continue
            scores = Scores(s / (sa + sb - s), s / sa, s / sb, s)
            kind = grade(scores, settings)
            if kind is not None:
                out.append((bool(from_sample[k]), int(a[k]), int(b[k]),
                            Relation(str(id_a[k]), part.stories[j].story_id, kind, scores.jaccard,
                                     scores.containment_a_in_b, scores.containment_b_in_a, s)))
    return out


def representative_texts(part: Part, wanted: np.ndarray) -> list[str]:
    """The clean text (boilerplate out) of the part's stories numbered ``wanted`` (scan-wide numbers)."""
    return clean_texts(part.by_doc(), [part.stories[g - part.offset] for g in wanted.tolist()])
