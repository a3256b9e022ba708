"""Candidate pairs of stories, found in bulk, for exact verification.

Two sources, both over every story at once (NumPy and scipy.sparse; no Python loop per story or shingle):

- ``lsh_pairs``: the banding of datasketch ``MinHashLSH`` applied to the whole signature matrix. The bands
  (b, r) are the ones ``MinHashLSH(threshold, num_perm, weights)`` itself chooses, and two stories are a
  candidate pair when one of their bands is equal, which is exactly when ``MinHashLSH.query`` returns one
  for the other (a test checks this against datasketch). It finds near-duplicates.
- ``sample_pair_steps``: partial reuse. Whole-story MinHash estimates Jaccard, and the Jaccard of a short story
  with a long one that quotes it is tiny, so LSH on it loses such pairs (LSH Ensemble found 99.8% of them
  on reuters21578, but with 700k false candidates and 41 s of queries). Instead every story keeps a
  bottom-k sample of its shingles (the k smallest shingle hashes: a uniform sample, since the hashes are
  random), and a sparse product (story x sampled shingle) @ (shingle x story), a block of rows at a time,
  counts how many of each story's sampled shingles every other story holds. If story A (the smaller)
  has containment c in B, that count is about Binomial(k, c); a pair is a candidate when it reaches the
  least count a pair at the report threshold would reach with probability 1 - ``miss_probability``. For
  a story of no more than k shingles the sample is the whole story and the count is exact.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHashLSH
from scipy.sparse import coo_matrix

from newsdedup.dedup.shared import story_ranges
from newsdedup.model import finish, mapped
from newsdedup.signatures import SHINGLE_BITS, ShingleSets

_MIX = np.uint64(0x9E3779B97F4A7C15)


def lsh_bands(threshold: float, num_perm: int, weights: tuple[float, float]) -> list[tuple[int, int]]:
    """The (start, end) signature columns of each band of ``MinHashLSH(threshold, num_perm, weights)``."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
    return [(int(s), int(e)) for s, e in lsh.hashranges]


def pairs_within_runs(keys: np.ndarray, ids: np.ndarray, max_run: int | None = None) -> np.ndarray:
    """Pairs (id_a, id_b) of ids whose keys are equal, as an (m, 2) array with id_a < id_b: every pair of a
    run of up to ``max_run`` ids, and in a longer run each member with the run's first only (a wire story
    reprinted 500 times makes 499 pairs, not 124,750: the copies are joined through that one)."""
    order = np.argsort(keys, kind="stable")
    k, i = keys[order], ids[order]
    new_run = np.concatenate(([True], k[1:] != k[:-1]))
    run_id = np.cumsum(new_run) - 1
    run_start = np.flatnonzero(new_run)
    run_end = np.flatnonzero(np.concatenate((new_run[1:], [True])))  # last position of each run
    after = run_end[run_id] - np.arange(len(k))  # how many later members of the same run
    if max_run is not None:
        long_run = (run_end - run_start + 1 > max_run)[run_id]
        after = np.where(long_run, np.where(new_run, after, 0), after)  # a long run: its first only
    first = np.repeat(np.arange(len(k)), after)
    start = np.repeat(np.cumsum(after) - after, after)
    second = first + 1 + (np.arange(len(first)) - start)
    a, b = i[first], i[second]
    return np.stack((np.minimum(a, b), np.maximum(a, b)), axis=1)


def lsh_pairs(sigs: np.ndarray, usable: np.ndarray, bands: list[tuple[int, int]],
              max_run: int | None = None) -> np.ndarray:
    """Pairs of usable stories that share at least one LSH band, (m, 2) int64, unique, i < j (see
    ``pairs_within_runs`` for ``max_run``)."""
    return finish(lsh_pair_steps(sigs, usable, bands, max_run))


def lsh_pair_steps(sigs: np.ndarray, usable: np.ndarray, bands: list[tuple[int, int]],
                   max_run: int | None = None) -> Generator[float, None, np.ndarray]:
    """``lsh_pairs``, yielding the share of bands done (a band's sort takes a second at a million stories)."""
    ids = np.flatnonzero(usable)
    keys = band_keys(sigs[ids], bands)
    yield 0.0
    found = []
    for b, key in enumerate(keys):
        found.append(pairs_within_runs(key, ids, max_run))
        yield (b + 1) / (len(keys) + 1)
    return _unique_pairs(np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64))


def band_keys(sigs: np.ndarray, bands: list[tuple[int, int]]) -> np.ndarray:
    """(bands, stories) uint64: each story's key on each band (equal keys: equal band), per story, so a
    partition of the stories computes its own rows (the cluster scan shuffles them by key)."""
    keys = np.zeros((len(bands), len(sigs)), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b, (start, end) in enumerate(bands):
            for col in range(start, end):  # r columns per band: a handful
                keys[b] = (keys[b] ^ sigs[:, col].astype(np.uint64)) * _MIX + np.uint64(col)
    return keys


@lru_cache(maxsize=64)
def least_hits(sample_size: int, containment: float, miss_probability: float) -> int:
    """The largest h with P(Binomial(sample_size, containment) < h) <= miss_probability."""
    cumulative = 0.0
    for h in range(sample_size + 1):
        p = math.comb(sample_size, h) * containment ** h * (1 - containment) ** (sample_size - h)
        if cumulative + p > miss_probability:
            return h
        cumulative += p
    return sample_size


def _needed_hits(sizes: np.ndarray, sample: int, containment: float, miss_probability: float) -> np.ndarray:
    """Per story: the sampled-shingle hits a partner must show to be a candidate."""
    exact = np.ceil(containment * sizes - 1e-9).astype(np.int64)  # the whole story is its sample
    estimated = least_hits(sample, containment, miss_probability)
    return np.where(sizes <= sample, exact, estimated).clip(1, None)


@dataclass(frozen=True)
class SampleMatches:
    """Candidate pairs (i < j); ``shared`` is their exact shared-shingle count where the smaller story's
    sample is the whole story, else -1 (to be counted on the full sets)."""

    pairs: np.ndarray
    shared: np.ndarray


def sample_pair_steps(sets: ShingleSets, usable: np.ndarray, sample: int, containment: float,
                      miss_probability: float, rows: int = 4096) -> Generator[float, None, SampleMatches]:
    """Pairs where the smaller story's bottom-``sample`` shingles suggest containment >= ``containment``.
    Steps: yields the share done after the shared shingles are found and after every block of ``rows``
    probing stories."""
    sizes = sets.sizes()
    n = len(sizes)
    holder, shingle, sampled = yield from mapped(_shared_shingles(sets, usable, sample), lambda share: 0.3 * share)
    if len(holder) == 0:  # no two stories share a shingle
        return SampleMatches(np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64))
    # hits[p, q] = how many of story p's sampled shingles story q holds: (sample x shingle) @ (shingle x story)
    ones = np.ones(len(holder), dtype=np.int32)
    held = coo_matrix((ones, (shingle, holder)), shape=(int(shingle[-1]) + 1 if len(shingle) else 0, n)).tocsr()
    yield 0.35  # each of the two matrices is a second at 200,000 stories
    samples = coo_matrix((ones[sampled], (holder[sampled], shingle[sampled])), shape=(n, held.shape[0])).tocsr()
    del holder, shingle, sampled, ones  # in the two matrices now
    needed = _needed_hits(sizes, sample, containment, miss_probability)
    yield 0.4
    found_a, found_b, found_shared = [], [], []
    for r0 in range(0, n, rows):  # a block of probing stories at a time: memory stays bounded
        hits = (samples[r0:r0 + rows] @ held).tocoo()
        p, q, h = hits.row + r0, hits.col, hits.data
        keep = (p != q) & (sizes[p] <= sizes[q]) & (h >= needed[p])
        p, q, h = p[keep], q[keep], h[keep]
        found_a.append(np.minimum(p, q))
        found_b.append(np.maximum(p, q))
        found_shared.append(np.where(sizes[p] <= sample, h, -1))
        yield 0.4 + 0.6 * min(r0 + rows, n) / n
    a, b, shared = (np.concatenate(x).astype(np.int64) if x else np.zeros(0, dtype=np.int64)
                    for x in (found_a, found_b, found_shared))
    if len(a) == 0:
        return SampleMatches(np.zeros((0, 2), dtype=np.int64), shared)
    order = np.lexsort((-shared, b, a))  # one row per pair; an exact count first where there is one
    a, b, shared = a[order], b[order], shared[order]
    first = np.concatenate(([True], (a[1:] != a[:-1]) | (b[1:] != b[:-1])))
    return SampleMatches(np.stack((a[first], b[first]), axis=1), shared[first])


def _shared_shingles(sets: ShingleSets, usable: np.ndarray, sample: int, bits: int = 4
                     ) -> Generator[float, None, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(story, shingle number, in the story's sample) for every shingle two usable stories or more hold.
    Steps: the shingles are sorted in 2**``bits`` parts by their top bits (a part's shingles are all
    greater than the last part's, so the parts end to end are the whole sorted), a report after each."""
    sizes = sets.sizes()
    n = len(sizes)
    low = max(1, int(n - 1).bit_length()) + 1
    drop = max(0, SHINGLE_BITS + low - 64)
    # A sort of (shingle, story, in-sample flag) packed in 64 bits: equal shingles end up side by side.
    # Past 2**23 stories a shingle loses low bits here, which only adds candidates (verified exactly).
    # made a range of stories at a time, a report after each (one pass over all took seconds at 400,000)
    key = np.empty(int(sizes[usable].sum()), np.uint64)
    part_of = np.empty(len(key), np.uint8)
    at = 0
    for lo, hi in story_ranges(sets.offsets):
        start, end = sets.offsets[lo], sets.offsets[hi]
        got = np.repeat(np.arange(lo, hi, dtype=np.uint64) << np.uint64(1), sizes[lo:hi])
        got |= np.arange(start, end) < np.repeat(sets.offsets[lo:hi] + sample, sizes[lo:hi])  # the bottom-k
        got |= (sets.values[start:end] >> np.uint64(drop)) << np.uint64(low)
        got = got[np.repeat(usable[lo:hi], sizes[lo:hi])]
        key[at:at + len(got)] = got
        part_of[at:at + len(got)] = got >> np.uint64(low + SHINGLE_BITS - drop - bits)
        at += len(got)
        yield 0.0
    holders, numbers, flags = [], [], []
    first = 0  # the number of the part's first shingle
    # story and shingle numbers in 4 bytes where they fit (they do below 2**31 shingles in all): half the
    # memory of these arrays, the largest of the candidates stage
    small = np.int32 if len(key) < 2**31 and n < 2**31 else np.int64
    for part in range(1 << bits):
        part_key = np.sort(key[part_of == part])
        shingle = part_key >> np.uint64(low)
        same = shingle[1:] == shingle[:-1]
        multi = np.flatnonzero(np.concatenate(([False], same)) | np.concatenate((same, [False])))
        part_key, shingle = part_key[multi], shingle[multi]
        if len(shingle):  # else no shingle of this part is held twice
            number = np.cumsum(np.concatenate(([True], shingle[1:] != shingle[:-1]))) - 1 + first
            first = int(number[-1]) + 1
            holders.append(((part_key & np.uint64((1 << low) - 1)) >> np.uint64(1)).astype(small))
            numbers.append(number.astype(small))
            flags.append((part_key & np.uint64(1)).astype(bool))
        yield (part + 1) / (1 << bits)
    del key, part_of
    if not holders:  # no shingle is held twice: no candidates
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    return np.concatenate(holders), np.concatenate(numbers), np.concatenate(flags)


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys and how often each stands (np.unique's hash path is slow on big arrays)."""
    keys = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.concatenate((starts, [len(keys)])))


def _unique_pairs(pairs: np.ndarray) -> np.ndarray:
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = pairs.astype(np.int64)
    width = int(pairs.max()) + 1
    key = _counted(pairs[:, 0] * width + pairs[:, 1])[0]
    return np.stack((key // width, key % width), axis=1)
