"""Word shingles and datasketch MinHash signatures, computed in bulk.

A story's shingles are hashes of every run of ``shingle_size`` words of its clean text (boilerplate out),
kept to their top 40 bits so that (story, shingle) packs into one 64-bit integer and every story's set is
made by one sort. Among the 9.3 million distinct shingles of the 52k eval stories that means about 40
chance collisions, each worth at most one shingle in one pair's scores.
Signatures use datasketch's own permutations (``MinHash(num_perm, seed).permutations``, scheme
"affine32") applied with NumPy to the shingles of many stories at once, so no Python code runs per
shingle; the result is bit-for-bit what ``MinHash(...).update_batch`` gives with a hash function that
returns the shingle's low 32 bits, which a test checks. Signatures are returned as a (stories x num_perm)
uint32 matrix, compact enough for the workspace to keep; ``lean`` wraps one as a LeanMinHash.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

from newsdedup.model import Progress, Steps
from newsdedup.text import Words, shingles

SCHEME = "affine32"
_CHUNK_ROWS = 1 << 11  # rows x num_perm uint32 stays in cache: measured fastest of 2k-16k
SHINGLE_BITS = 40  # a shingle is the top 40 bits of its 64-bit hash, so (story, shingle) fits one integer
_MAX_STORIES = 1 << (64 - SHINGLE_BITS)


@dataclass(frozen=True)
class ShingleSets:
    """Every story's sorted, unique shingle hashes, concatenated; story i owns ``values[offsets[i]:offsets[i+1]]``."""

    values: np.ndarray  # uint64
    offsets: np.ndarray  # int64, len = stories + 1

    def of(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i]:self.offsets[i + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def rows(self, lo: int, hi: int) -> ShingleSets:
        """The sets of stories lo..hi-1 (views, no copy)."""
        a, b = self.offsets[lo], self.offsets[hi]
        return ShingleSets(self.values[a:b], self.offsets[lo:hi + 1] - a)

    def take(self, rows) -> ShingleSets:
        """The sets of stories ``rows``, in that order (in bulk, no loop per story)."""
        rows = np.asarray(rows, dtype=np.int64)
        sizes = self.sizes()[rows]
        offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        picked = np.repeat(self.offsets[rows] - offsets[:-1], sizes) + np.arange(offsets[-1])
        return ShingleSets(self.values[picked], offsets)


def shingle_sets(clean_words: list[Words], shingle_size: int) -> ShingleSets:
    """Every story's shingles, sorted and unique, computed for all stories at once."""
    n = len(clean_words)
    counts = np.fromiter((len(w) for w in clean_words), dtype=np.int64, count=n)
    if counts.sum() == 0:
        return ShingleSets(np.zeros(0, dtype=np.uint64), np.zeros(n + 1, dtype=np.int64))
    hashes = np.concatenate([w.hashes for w in clean_words])
    word_start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    all_shingles = shingles(hashes, shingle_size)  # runs crossing a story boundary are dropped below
    per_story = np.maximum(counts - shingle_size + 1, 0)
    first = np.repeat(word_start, per_story) + (np.arange(per_story.sum()) - np.repeat(np.cumsum(per_story) - per_story, per_story))
    values = all_shingles[first] if len(all_shingles) else np.zeros(0, dtype=np.uint64)
    owner = np.repeat(np.arange(n), per_story)
    short = np.flatnonzero((counts > 0) & (counts < shingle_size))  # one shingle of all their words
    if len(short):
        values = np.concatenate((values, np.concatenate([shingles(clean_words[i].hashes, shingle_size) for i in short])))
        owner = np.concatenate((owner, short))
    return _sorted_unique_per_story(values, owner, n)


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values, by a sort: np.unique's hash path for int64 is tens of times slower."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _sorted_unique_per_story(values: np.ndarray, owner: np.ndarray, n: int) -> ShingleSets:
    # One sort of (story, shingle) packed in 64 bits: far faster than a sort per story.
    if n > _MAX_STORIES:
        raise ValueError(f"at most {_MAX_STORIES} stories in one scan")
    key = np.sort((owner.astype(np.uint64) << np.uint64(SHINGLE_BITS)) | (values >> np.uint64(64 - SHINGLE_BITS)))
    key = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    owner = (key >> np.uint64(SHINGLE_BITS)).astype(np.int64)
    offsets = np.searchsorted(owner, np.arange(n + 1))
    return ShingleSets(key & np.uint64((1 << SHINGLE_BITS) - 1), offsets.astype(np.int64))


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def signatures(sets: ShingleSets, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures of every story, (stories x num_perm) uint32; an empty story gets all 2**32-1."""
    a, b = permutations(num_perm, seed)
    n = len(sets.offsets) - 1
    sig = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    values = sets.values
    if len(values) == 0:
        return sig
    owner = np.repeat(np.arange(n), sets.sizes())
    hv = _fmix32((values & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    buf = np.empty((_CHUNK_ROWS, num_perm), dtype=np.uint32)  # reused: fresh big arrays cost page faults
    with np.errstate(over="ignore"):
        for r0 in range(0, len(values), _CHUNK_ROWS):
            r1 = min(r0 + _CHUNK_ROWS, len(values))
            phv = buf[:r1 - r0]
            np.multiply(hv[r0:r1, None], a[None, :], out=phv)
            np.add(phv, b[None, :], out=phv)
            own = owner[r0:r1]
            firsts = np.flatnonzero(np.concatenate(([True], own[1:] != own[:-1])))
            mins = np.minimum.reduceat(phv, firsts, axis=0)
            who = own[firsts]  # a story cut by the chunk's edge keeps the smaller of its two minima
            sig[who] = np.minimum(sig[who], mins, out=mins)
    return sig


def signature_steps(sets: ShingleSets, num_perm: int = 128, seed: int = 1, stage: str = "signatures",
                    step: int = 5000) -> Steps[np.ndarray]:
    """``signatures`` as a stage: ``step`` stories at a time, a Progress after each (a story's signature
    does not depend on the others, so the parts put together are the whole's)."""
    n = len(sets.offsets) - 1
    yield Progress(stage, 0, n)
    parts = [signatures(sets.rows(0, 0), num_perm, seed)]
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        parts.append(signatures(sets.rows(lo, hi), num_perm, seed))
        yield Progress(stage, hi, n)
    return np.concatenate(parts)


def signatures_to_bytes(sigs: np.ndarray) -> bytes:
    """The signature matrix as bytes for storage: little-endian uint32, one story after another."""
    return np.ascontiguousarray(sigs, dtype="<u4").tobytes()


def signatures_from_bytes(data: bytes, num_perm: int) -> np.ndarray:
    """The (stories x num_perm) uint32 matrix back from ``signatures_to_bytes``."""
    return np.frombuffer(data, dtype="<u4").reshape(-1, num_perm).astype(np.uint32)


_SHINGLE_BYTES = SHINGLE_BITS // 8


def shingles_to_bytes(sets: ShingleSets) -> list[bytes]:
    """Each story's shingle set as bytes for storage: 5 bytes a shingle (its 40 bits, little-endian)."""
    low = np.ascontiguousarray(sets.values, dtype="<u8").view(np.uint8).reshape(-1, 8)[:, :_SHINGLE_BYTES]
    data = low.tobytes()
    ends = sets.offsets * _SHINGLE_BYTES
    return [data[a:b] for a, b in zip(ends[:-1].tolist(), ends[1:].tolist())]


def shingles_from_bytes(blobs: list[bytes]) -> ShingleSets:
    """The sets back from ``shingles_to_bytes``, one blob per story, in one pass over them all."""
    sizes = np.fromiter((len(b) // _SHINGLE_BYTES for b in blobs), np.int64, len(blobs))
    wide = np.zeros((int(sizes.sum()), 8), np.uint8)
    wide[:, :_SHINGLE_BYTES] = np.frombuffer(b"".join(blobs), np.uint8).reshape(-1, _SHINGLE_BYTES)
    return ShingleSets(wide.view("<u8").ravel().astype(np.uint64), np.concatenate(([0], np.cumsum(sizes))))


def lean(signature: np.ndarray, seed: int = 1) -> LeanMinHash:
    """A datasketch LeanMinHash over one row of ``signatures``."""
    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)
