"""What stories share, counted for many pairs at once: identical texts, shared runs, stock phrasing.

All of it is NumPy over the stories' shingle arrays (one sort per batch, no Python code per shingle):

- ``identical_steps``: stories whose shingle sets are equal (exact copies) point at one stand-in, so that
  3,000 copies of one text are one text for every later step, and their rows stay linear in their number.
- ``phrase_frequency``: how many stories of the folder hold each 5-word run (its document frequency),
  counted over one story per copy group, so that 500 reprints of a wire story count once.
- ``shared_counts``: for an array of story pairs, how many runs each pair shares, and how much of that is
  specific to the two, by sorting (pair, run) keys of both sides of a batch of pairs together.

What is specific: a run that only the two stories hold counts 1; one that k stories hold counts 1/(k-1),
since it links each of them as much to k-2 others; one that ``stock_stories`` or more hold is stock
phrasing ("filed a registration statement with the Securities and Exchange Commission", "by Standard and
Poor's", "cuts prime rate to") and counts nothing: it tells nothing about two stories that both have it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator

import numpy as np

from newsdedup.signatures import SHINGLE_BITS, ShingleSets

_MIX = np.uint64(0x9E3779B97F4A7C15)
_VALUE = (1 << SHINGLE_BITS) - 1
_BATCH = 1 << 22  # shingles sorted at once when counting shared ones: about 64 MB of keys


def _owner(sets: ShingleSets) -> np.ndarray:
    return np.repeat(np.arange(len(sets.offsets) - 1), sets.sizes())


def identical_steps(sets: ShingleSets, usable: np.ndarray, stories: int = 20_000
                    ) -> Generator[float, None, np.ndarray]:
    """For every story, the first usable story with exactly its shingle set (itself if none before it).
    Steps: yields the share done after the fingerprints of every ``stories`` stories (seconds at 100,000
    stories in one pass) and after the check of equal ones."""
    n = len(sets.offsets) - 1
    stand_in = np.arange(n)
    ids = np.flatnonzero(usable)
    if len(ids) < 2:
        return stand_in
    prints = []
    for lo in range(0, n, stories):
        prints.append(set_fingerprints(sets.rows(lo, min(lo + stories, n))))
        yield 0.5 * min(lo + stories, n) / n
    pairs = same_fingerprint(np.concatenate(prints)[ids], ids)
    shared, _ = shared_counts(sets, pairs)
    same = shared == sets.sizes()[pairs[:, 1]]  # a fingerprint collision is checked away
    stand_in[pairs[same, 1]] = pairs[same, 0]
    yield 1.0
    return stand_in


def same_fingerprint(key: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Pairs (head, story) of the stories ``ids`` (ascending) whose fingerprints ``key`` equal those of an
    earlier one, the head being the lowest of them: the candidates for exact copies."""
    order = np.argsort(key, kind="stable")
    k, order = key[order], ids[order]
    first = np.concatenate(([True], k[1:] != k[:-1]))
    head = order[np.flatnonzero(first)[np.cumsum(first) - 1]]  # the lowest index of each fingerprint run
    maybe = head != order
    return np.stack((head[maybe], order[maybe]), axis=1)


def set_fingerprints(sets: ShingleSets) -> np.ndarray:
    """An order-free 64-bit fingerprint of each shingle set (equal sets, equal fingerprints), per story."""
    with np.errstate(over="ignore"):
        mixed = (sets.values ^ (sets.values >> np.uint64(17))) * _MIX
        summed = np.zeros(len(sets.offsets) - 1, dtype=np.uint64)
        np.add.at(summed, _owner(sets), mixed)
        return summed * _MIX + sets.sizes().astype(np.uint64)


def phrase_frequency(sets: ShingleSets, counted: np.ndarray) -> np.ndarray:
    """The runs that three or more of the ``counted`` stories hold, packed as (stories << 40 | run value),
    sorted by run value (a run missing here is held by two stories at most)."""
    values = np.sort(sets.values[np.repeat(counted, sets.sizes())])
    if len(values) == 0:
        return values
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    frequency = np.diff(np.concatenate((starts, [len(values)])))  # sets are unique: runs count stories
    common = frequency >= 3
    return (frequency[common].astype(np.uint64) << np.uint64(SHINGLE_BITS)) | values[starts[common]]


VALUES_AT_ONCE = 8_000_000  # shingles gathered between two reports (a bulk pass over all: seconds at 400k)


def story_ranges(offsets: np.ndarray, at_once: int | None = None) -> list[tuple[int, int]]:
    """Consecutive ranges of stories (lo, hi) of about ``at_once`` shingles each (``offsets``: a
    ``ShingleSets``' story offsets; ``at_once``: by default ``VALUES_AT_ONCE``)."""
    n = len(offsets) - 1
    at_once = at_once or VALUES_AT_ONCE
    cuts = np.searchsorted(offsets, np.arange(at_once, int(offsets[-1]), at_once), "right") - 1
    bounds = np.unique(np.concatenate(([0], np.clip(cuts, 0, n), [n])))
    return [(int(lo), int(hi)) for lo, hi in zip(bounds[:-1], bounds[1:])] or [(0, n)]


def phrase_frequency_steps(sets: ShingleSets, counted: np.ndarray, bits: int = 4
                          ) -> Generator[float, None, np.ndarray]:
    """``phrase_frequency`` in 2**``bits`` parts of the runs by their top bits (each part's runs greater than
    the last part's, so the parts end to end are the whole), yielding the share done after each (seconds
    at 200,000 stories in one pass), and while the counted stories' runs are gathered."""
    sizes = sets.sizes()
    values = np.empty(int(sizes[counted].sum()), np.uint64)
    part_of = np.empty(len(values), np.uint8)
    at = 0
    for lo, hi in story_ranges(sets.offsets):
        got = sets.values[sets.offsets[lo]:sets.offsets[hi]][np.repeat(counted[lo:hi], sizes[lo:hi])]
        values[at:at + len(got)] = got
        part_of[at:at + len(got)] = got >> np.uint64(SHINGLE_BITS - bits)
        at += len(got)
        yield 0.0
    found = []
    for part in range(1 << bits):
        runs = values[part_of == part]
        found.append(phrase_frequency(ShingleSets(runs, np.array([0, len(runs)], np.int64)), np.ones(1, bool)))
        yield (part + 1) / (1 << bits)
    return np.concatenate(found)


def frequency_of(values: np.ndarray, common: np.ndarray) -> np.ndarray:
    """How many stories hold each of ``values`` (at least 2: they are shared runs)."""
    found = np.full(len(values), 2, dtype=np.int64)
    if len(common) == 0 or len(values) == 0:
        return found
    runs = common & np.uint64(_VALUE)
    at = np.searchsorted(runs, values).clip(0, len(runs) - 1)
    hit = runs[at] == values
    found[hit] = (common[at[hit]] >> np.uint64(SHINGLE_BITS)).astype(np.int64)
    return found


def specificity(values: np.ndarray, common: np.ndarray, stock_stories: int) -> np.ndarray:
    """What each shared run counts as evidence that two stories share text of their own (see above)."""
    k = frequency_of(values, common)
    return np.where(k >= stock_stories, 0.0, 1.0 / (k - 1))


def shared_counts(sets: ShingleSets, pairs: np.ndarray, common: np.ndarray | None = None,
                  stock_stories: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(shared runs, how much of them is specific to the two) of every pair (i, j) in ``pairs``; without
    ``common`` (see ``phrase_frequency``) every shared run counts fully."""
    m = len(pairs)
    shared = np.zeros(m, dtype=np.int64)
    distinct = np.zeros(m, dtype=float)
    if m == 0:
        return shared, distinct
    sizes = sets.sizes()
    cost = np.cumsum(sizes[pairs[:, 0]] + sizes[pairs[:, 1]])
    start = 0
    while start < m:  # batches of pairs whose shingles together fit one sort
        end = max(start + 1, int(np.searchsorted(cost, (cost[start - 1] if start else 0) + _BATCH, "right")))
        end = min(end, m, start + (1 << (64 - SHINGLE_BITS)) - 1)
        s, d = _batch_counts(sets, pairs[start:end], common, stock_stories)
        shared[start:end], distinct[start:end] = s, d
        start = end
    return shared, distinct


def _batch_counts(sets: ShingleSets, pairs: np.ndarray, common: np.ndarray | None, stock_stories: int):
    sizes = sets.sizes()
    both = pairs.T.ravel()  # every pair's first story, then every pair's second
    length = sizes[both]
    slot = np.repeat(np.arange(len(both)) % len(pairs), length).astype(np.uint64)
    within = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    values = sets.values[np.repeat(sets.offsets[both], length) + within]
    key = np.sort((slot << np.uint64(SHINGLE_BITS)) | values)
    twice = np.flatnonzero(key[1:] == key[:-1])  # sets are unique: a key twice is a shared shingle
    pair_of = (key[twice] >> np.uint64(SHINGLE_BITS)).astype(np.int64)
    shared = np.bincount(pair_of, minlength=len(pairs))
    if common is None:
        return shared, shared.astype(float)
    weight = specificity(key[twice] & np.uint64(_VALUE), common, stock_stories)
    return shared, np.bincount(pair_of, weights=weight, minlength=len(pairs))


# Pairs counted between two progress reports: the first slice this many shingles (of both stories of each
# pair), each next one sized from the last one's time to take about SLICE_SECONDS. A fixed number of pairs
# took 2.5-3.7 s a slice at 200,000 stories: each shared run is looked up among the folder's, which grow
# with it, and pairs of long stories cost more.
FIRST_SLICE = 1_000_000
SLICE_SECONDS = 0.5
SMALLEST_SLICE = 10_000


def in_slices(count: Callable[[np.ndarray], tuple], pairs: np.ndarray, sizes: np.ndarray
              ) -> Generator[float, None, list[tuple]]:
    """``count`` of ``pairs`` a slice at a time (``sizes``: each story's shingles), yielding the share of
    pairs done after each; returns the slices' results in order (at least one, for no pairs). What a pair's
    count is does not depend on the slices, so neither does the answer."""
    cost = np.cumsum(sizes[pairs[:, 0]] + sizes[pairs[:, 1]]) if len(pairs) else np.zeros(0, np.int64)
    found: list[tuple] = []
    lo, budget = 0, FIRST_SLICE
    while lo < len(pairs) or not found:
        hi = min(len(pairs), max(lo + 1, int(np.searchsorted(cost, (cost[lo - 1] if lo else 0) + budget, "right"))))
        started = time.perf_counter()
        found.append(count(pairs[lo:hi]))
        lo = hi
        yield lo / max(len(pairs), 1)
        spent = time.perf_counter() - started
        budget = max(SMALLEST_SLICE, min(2 * budget, int(budget * SLICE_SECONDS / max(spent, 1e-3))))
    return found


def frequency_bytes(common: np.ndarray | None) -> bytes:
    """``phrase_frequency`` as kept in a ScanResult (and a workspace): little-endian uint64 (None: none)."""
    return b"" if common is None else np.ascontiguousarray(common, dtype="<u8").tobytes()


def frequency_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64, copy=False)
