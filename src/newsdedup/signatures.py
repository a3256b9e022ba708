"""Word shingles and datasketch MinHash signatures, computed in bulk.

A story's shingles are hashes of every run of ``shingle_size`` words of its clean text (boilerplate out).
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

from .text import Words, shingles

SCHEME = "affine32"
_CHUNK_ROWS = 1 << 15


@dataclass(frozen=True)
class ShingleSets:
    """Every story's sorted, unique shingle hashes, concatenated; story i owns ``values[offsets[i]:offsets[i+1]]``."""

    values: np.ndarray  # uint64
    offsets: np.ndarray  # int64, len = stories + 1

    def of(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i]:self.offsets[i + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


def shingle_sets(clean_words: list[Words], shingle_size: int) -> ShingleSets:
    parts = [np.unique(shingles(w.hashes, shingle_size)) for w in clean_words]
    sizes = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    values = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    return ShingleSets(values, offsets)


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
    with np.errstate(over="ignore"):
        for r0 in range(0, len(values), _CHUNK_ROWS):
            r1 = min(r0 + _CHUNK_ROWS, len(values))
            phv = hv[r0:r1, None] * a[None, :] + b[None, :]
            own = owner[r0:r1]
            firsts = np.flatnonzero(np.concatenate(([True], own[1:] != own[:-1])))
            mins = np.minimum.reduceat(phv, firsts, axis=0)
            who = own[firsts]
            sig[who] = np.minimum(sig[who], mins)
    return sig


def lean(signature: np.ndarray, seed: int = 1) -> LeanMinHash:
    """A datasketch LeanMinHash over one row of ``signatures``."""
    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)
