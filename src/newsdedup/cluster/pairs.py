"""The duplicates stage's questions answered on the workers, each a shuffle of per-story rows:

- exact copies: every usable story's set fingerprint, shuffled by fingerprint; a bucket pairs the stories of
  equal fingerprint with the first of them (``shared.same_fingerprint``);
- near-duplicates: every story's key on each LSH band (``candidates.band_keys``), shuffled by key; a bucket
  pairs the stories of equal key on one band (``candidates.pairs_within_runs``, the local banding);
- run frequencies: the counted stories' shingles, shuffled by value range; a bucket counts them
  (``shared.phrase_frequency``), and the buckets read in order are the local sorted array;
- partial-reuse candidates: every group head's shingles, flagged when in its bottom-k sample, shuffled by
  value range; a bucket counts, per pair, the sampled shingles of one that the other holds (the local sparse
  product, cut by shingle); the counts of a pair are summed where its first story lives and kept where
  they reach the local threshold;
- shared counts of pairs: the first story's shingles go to the second story's part, which counts them
  (``shared.shared_counts``, with the run frequencies when the stage asks for them).

Only rows of numbers move: keys, story numbers, shingle hashes; never a text.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix

from newsdedup.cluster.partitions import Part
from newsdedup.cluster.shuffle import owner_part, split_rows, value_range
from newsdedup.dedup.candidates import _needed_hits, band_keys, pairs_within_runs
from newsdedup.dedup.shared import phrase_frequency, same_fingerprint, set_fingerprints, shared_counts
from newsdedup.signatures import ShingleSets

_ROWS = 4096  # probing stories per sparse product, as the local search: memory stays bounded
_EMPTY = np.zeros(0, np.int64)


def key_pieces(part: Part, usable: np.ndarray, bands: list[tuple[int, int]] | None, n: int) -> list:
    """(band, key, story number) of the part's ``usable`` stories on every band (``bands`` None: the set
    fingerprint, as band 0), cut by key into n pieces."""
    ids = np.flatnonzero(usable)
    if bands is None:
        keys = set_fingerprints(part.sets)[ids][None, :]
    else:
        keys = band_keys(part.sigs[ids], bands)
    band = np.repeat(np.arange(len(keys), dtype=np.int32), len(ids))
    flat = keys.ravel()
    return split_rows((flat % np.uint64(n)).astype(np.int64), n, band, flat, np.tile(ids + part.offset, len(keys)))


def run_pairs(*pieces: tuple, max_run: int | None, heads: bool) -> np.ndarray:
    """Pairs of a bucket's stories equal on one band (``heads``: each with the first of its run only, as
    ``same_fingerprint`` pairs exact copies); pieces in part order, so story numbers ascend in each run."""
    band, key, gid = (np.concatenate([p[k] for p in pieces]) for k in range(3))
    found = []
    for b in np.unique(band).tolist():
        on = band == b
        found.append(same_fingerprint(key[on], gid[on]) if heads else pairs_within_runs(key[on], gid[on], max_run))
    return np.concatenate(found) if found else np.zeros((0, 2), np.int64)


def shingle_pieces(part: Part, counted: np.ndarray, sample: int, n: int) -> list:
    """(shingle, story number, in its bottom-``sample``, story size) of the ``counted`` stories' shingles,
    cut by value range into n pieces."""
    sizes = part.sets.sizes()
    owner = np.repeat(np.arange(len(sizes)), sizes)
    sampled = np.arange(len(owner)) < np.repeat(part.sets.offsets[:-1] + sample, sizes)
    keep = counted[owner]
    values = part.sets.values[keep]
    return split_rows(value_range(values, n), n, values, owner[keep] + part.offset, sampled[keep],
                      sizes[owner[keep]])


def frequency_bucket(*pieces: tuple) -> np.ndarray:
    """``phrase_frequency`` of the runs of one value range (all counted stories' shingles in it)."""
    values = np.concatenate([p[0] for p in pieces])
    return phrase_frequency(ShingleSets(values, np.array([0, len(values)], np.int64)), np.ones(1, bool))


def joined(*buckets: np.ndarray) -> np.ndarray:
    return np.concatenate(buckets) if buckets else np.zeros(0, np.uint64)


def sampled_hits(*pieces: tuple, offsets: np.ndarray) -> list:
    """For pairs (p, q) with |p| <= |q|: how many of p's sampled shingles of this bucket q holds, as
    (p, q, hits, |p|), cut by the part of min(p, q)."""
    shingle, gid, sampled, size = (np.concatenate([p[k] for p in pieces]) for k in range(4))
    if len(shingle) == 0:  # no counted story has a shingle in this range
        return split_rows(_EMPTY, len(offsets) - 1, _EMPTY, _EMPTY, _EMPTY, _EMPTY)
    order = np.argsort(shingle, kind="stable")
    shingle, gid, sampled, size = shingle[order], gid[order], sampled[order], size[order]
    same = shingle[1:] == shingle[:-1]
    multi = np.concatenate(([False], same)) | np.concatenate((same, [False]))  # held by two stories or more
    shingle, gid, sampled, size = shingle[multi], gid[multi], sampled[multi], size[multi]
    stories, local = np.unique(gid, return_inverse=True)
    story_size = np.zeros(len(stories), np.int64)
    story_size[local] = size
    number = np.cumsum(np.concatenate(([True], shingle[1:] != shingle[:-1]))) - 1 if len(shingle) else _EMPTY
    m, s = len(stories), int(number[-1]) + 1 if len(number) else 0
    ones = np.ones(len(local), np.int32)
    held = coo_matrix((ones, (number, local)), shape=(s, m)).tocsr()
    samples = coo_matrix((ones[sampled], (local[sampled], number[sampled])), shape=(m, s)).tocsr()
    out = [(_EMPTY, _EMPTY, _EMPTY, _EMPTY)]
    for r0 in range(0, m, _ROWS):
        hits = (samples[r0:r0 + _ROWS] @ held).tocoo()
        p, q = hits.row + r0, hits.col
        keep = (p != q) & (story_size[p] <= story_size[q])
        out.append((stories[p[keep]], stories[q[keep]], hits.data[keep].astype(np.int64), story_size[p[keep]]))
    p, q, h, sp = (np.concatenate([o[k] for o in out]) for k in range(4))
    return split_rows(owner_part(np.minimum(p, q), offsets), len(offsets) - 1, p, q, h, sp)


def reuse_pairs(*hits: tuple, sample: int, containment: float, miss: float) -> np.ndarray:
    """A part's pairs whose summed hits reach the local threshold (``candidates._needed_hits``), (a < b)."""
    p, q, h, sp = (np.concatenate([x[k] for x in hits]) for k in range(4))
    if len(p) == 0:
        return np.zeros((0, 2), np.int64)
    width = int(max(p.max(), q.max())) + 1
    code, at = np.unique(p * width + q, return_inverse=True)
    total = np.bincount(at, weights=h).astype(np.int64)
    size_p = np.zeros(len(code), np.int64)
    size_p[at] = sp
    keep = total >= _needed_hits(size_p, sample, containment, miss)
    p, q = code[keep] // width, code[keep] % width
    return np.unique(np.stack((np.minimum(p, q), np.maximum(p, q)), axis=1), axis=0).reshape(-1, 2)


def first_sides(part: Part, rows: np.ndarray, a: np.ndarray, b: np.ndarray, offsets: np.ndarray) -> list:
    """Pairs whose first story is here, with its shingles, cut by the part of the second story:
    (pair rows, second story numbers, the first stories' sets)."""
    out = []
    for r, bb, aa in split_rows(owner_part(b, offsets), len(offsets) - 1, rows, b, a):
        out.append((r, bb, part.sets.take(aa - part.offset)))
    return out


def second_sides(part: Part, *pieces: tuple, common: np.ndarray | None, stock_stories: int) -> tuple:
    """(pair rows, shared runs, specific) of the pairs whose second story is here (``shared_counts`` on
    the first stories' sets beside the second ones')."""
    rows = np.concatenate([p[0] for p in pieces])
    if len(rows) == 0:
        return rows, _EMPTY, np.zeros(0)
    firsts = [p[2] for p in pieces]
    seconds = part.sets.take(np.concatenate([p[1] for p in pieces]) - part.offset)
    values = np.concatenate([s.values for s in firsts] + [seconds.values])
    sizes = np.concatenate([s.sizes() for s in firsts] + [seconds.sizes()])
    both = ShingleSets(values, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))
    m = len(rows)
    shared, specific = shared_counts(both, np.stack((np.arange(m), m + np.arange(m)), axis=1), common,
                                     stock_stories)
    return rows, shared, specific
