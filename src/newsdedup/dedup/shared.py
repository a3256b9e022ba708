"""What stories share, counted for many pairs at once: identical texts, shared runs, stock phrasing.

All of it is NumPy over the stories' shingle arrays (one sort per batch, no Python code per shingle):

- ``identical_sets``: stories whose shingle sets are equal (exact copies) point at one stand-in, so that
  3,000 copies of one text are one text for every later step, and their rows stay linear in their number.
- ``shared_counts``: for an array of story pairs, how many shingles each pair shares, and how many of those
  are not stock phrasing, by sorting (pair, shingle) keys of both sides of a batch of pairs together.
- ``stock_phrases``: the 5-word runs that many stories of the folder use ("filed a registration statement
  with the Securities and Exchange Commission", "by Standard and Poor's"): their document frequency,
  counted over the given stories (one per copy group, so 500 reprints of a wire story count once), is at
  least ``stories``. Such a run tells nothing about two stories that both have it.
"""

from __future__ import annotations

import numpy as np

from newsdedup.dedup.signatures import SHINGLE_BITS, ShingleSets

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BATCH = 1 << 22  # shingles sorted at once when counting shared ones: about 64 MB of keys


def _owner(sets: ShingleSets) -> np.ndarray:
    return np.repeat(np.arange(len(sets.offsets) - 1), sets.sizes())


def identical_sets(sets: ShingleSets, usable: np.ndarray) -> np.ndarray:
    """For every story, the first usable story with exactly its shingle set (itself if none before it)."""
    n = len(sets.offsets) - 1
    stand_in = np.arange(n)
    ids = np.flatnonzero(usable)
    if len(ids) < 2:
        return stand_in
    with np.errstate(over="ignore"):
        mixed = (sets.values ^ (sets.values >> np.uint64(17))) * _MIX
        summed = np.zeros(n, dtype=np.uint64)
        np.add.at(summed, _owner(sets), mixed)  # order-free fingerprint of each set
        key = summed * _MIX + sets.sizes().astype(np.uint64)
    order = ids[np.argsort(key[ids], kind="stable")]
    k = key[order]
    first = np.concatenate(([True], k[1:] != k[:-1]))
    head = order[np.flatnonzero(first)[np.cumsum(first) - 1]]  # the lowest index of each fingerprint run
    maybe = head != order
    pairs = np.stack((head[maybe], order[maybe]), axis=1)
    shared, _ = shared_counts(sets, pairs)
    same = shared == sets.sizes()[pairs[:, 1]]  # a fingerprint collision is checked away
    stand_in[pairs[same, 1]] = pairs[same, 0]
    return stand_in


def stock_phrases(sets: ShingleSets, counted: np.ndarray, stories: int) -> np.ndarray:
    """Sorted shingle values that at least ``stories`` of the ``counted`` stories hold."""
    values = np.sort(sets.values[np.repeat(counted, sets.sizes())])
    if len(values) == 0:
        return values
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    frequency = np.diff(np.concatenate((starts, [len(values)])))  # sets are unique: runs count stories
    return values[starts[frequency >= stories]]


def is_stock(values: np.ndarray, stock: np.ndarray) -> np.ndarray:
    """Which of ``values`` (shingle values) are stock phrasing."""
    if len(stock) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(stock, values).clip(0, len(stock) - 1)
    return stock[at] == values


def shared_counts(sets: ShingleSets, pairs: np.ndarray, stock: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(shared shingles, shared shingles that are not stock phrasing) of every pair (i, j) in ``pairs``."""
    m = len(pairs)
    shared = np.zeros(m, dtype=np.int64)
    distinct = np.zeros(m, dtype=np.int64)
    if m == 0:
        return shared, distinct
    sizes = sets.sizes()
    cost = np.cumsum(sizes[pairs[:, 0]] + sizes[pairs[:, 1]])
    start = 0
    while start < m:  # batches of pairs whose shingles together fit one sort
        end = max(start + 1, int(np.searchsorted(cost, (cost[start - 1] if start else 0) + _BATCH, "right")))
        end = min(end, m, start + (1 << (64 - SHINGLE_BITS)) - 1)
        s, d = _batch_counts(sets, pairs[start:end], stock)
        shared[start:end], distinct[start:end] = s, d
        start = end
    return shared, distinct


def _batch_counts(sets: ShingleSets, pairs: np.ndarray, stock: np.ndarray | None):
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
    if stock is None or len(stock) == 0:
        return shared, shared
    plain = ~is_stock(key[twice] & np.uint64((1 << SHINGLE_BITS) - 1), stock)
    return shared, np.bincount(pair_of[plain], minlength=len(pairs))


def stock_bytes(stock: np.ndarray) -> bytes:
    """Stock phrasing as kept in a ScanResult (and a workspace): little-endian uint64."""
    return np.ascontiguousarray(stock, dtype="<u8").tobytes()


def stock_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)
