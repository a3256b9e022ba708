"""Normalised words of a text, each pointing back at the exact original characters.

Matching ignores case, accents, curly versus straight quotes, dash kinds and whitespace, but everything
the tool reports is a span of the original text. ``normalize`` keeps, for every character it produces,
the span of the original characters it came from; ``words`` hashes every word of a text in bulk with
NumPy (a polynomial hash over prefix sums), so no stage loops in Python over words or shingles.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Characters that mean the same to a reader of news: typographic quotes and dashes, odd spaces.
_EQUIVALENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u200b": "", "\ufeff": "",
}

_P = np.uint64(0x9E3779B97F4A7C15 | 1)  # odd, so it has an inverse modulo 2**64
_P_INV = np.uint64(pow(int(_P), -1, 1 << 64))
_Q = np.uint64(0xC2B2AE3D27D4EB4F)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_WORD = np.zeros(128, dtype=bool)
for _c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
    _ASCII_WORD[ord(_c)] = True


@lru_cache(maxsize=65536)
def _normalize_char(ch: str) -> str:
    if ch in _EQUIVALENTS:
        return _EQUIVALENTS[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped).casefold()


@lru_cache(maxsize=65536)
def _is_word_char(code: int) -> bool:
    return chr(code).isalnum()


@dataclass(frozen=True)
class Normalized:
    """Normalised text with, per character, the original span it came from."""

    text: str
    src_start: np.ndarray  # int64, len(text)
    src_end: np.ndarray


def normalize(text: str) -> Normalized:
    """Case-fold, strip accents, unify quotes, dashes and spaces; keep a map back to ``text``."""
    if text.isascii():
        n = len(text)
        idx = np.arange(n, dtype=np.int64)
        return Normalized(text.lower(), idx, idx + 1)
    pieces: list[str] = []
    starts: list[np.ndarray] = []
    run_start = 0
    for m in _NON_ASCII.finditer(text):  # only the non-ASCII characters, usually few
        i = m.start()
        if run_start < i:
            pieces.append(text[run_start:i].lower())
            starts.append(np.arange(run_start, i, dtype=np.int64))
        out = _normalize_char(m.group())
        if out:
            pieces.append(out)
            starts.append(np.full(len(out), i, dtype=np.int64))
        run_start = i + 1
    if run_start < len(text):
        pieces.append(text[run_start:].lower())
        starts.append(np.arange(run_start, len(text), dtype=np.int64))
    src_start = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    # A dropped character (a combining accent, a zero-width space) belongs to the one before it.
    next_start = np.concatenate((src_start[1:], [len(text)]))
    return Normalized("".join(pieces), src_start, np.maximum(src_start + 1, next_start))


@dataclass(frozen=True)
class Words:
    """The words of a text: a 64-bit hash of each normalised word and its span in the original text."""

    hashes: np.ndarray  # uint64
    starts: np.ndarray  # int64, original offsets
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.hashes)

    def select(self, mask: np.ndarray) -> Words:
        return Words(self.hashes[mask], self.starts[mask], self.ends[mask])

    def within(self, ranges: list[tuple[int, int]]) -> Words:
        """The words lying wholly inside any of ``ranges`` (sorted, non-overlapping)."""
        if not ranges or len(self) == 0:
            return self.select(np.zeros(len(self), dtype=bool))
        if len(ranges) == 1:  # most stories: one range, two comparisons (no search, no clip)
            (start, end), = ranges
            return self.select((self.starts >= start) & (self.ends <= end))
        bounds = np.asarray(ranges, dtype=np.int64)
        k = np.searchsorted(bounds[:, 0], self.starts, side="right") - 1
        ok = k >= 0
        ok &= self.ends <= bounds[np.maximum(k, 0), 1]
        return self.select(ok)


def _word_mask(codes: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(codes), dtype=bool)
    ascii_ = codes < 128
    mask[ascii_] = _ASCII_WORD[codes[ascii_]]
    if not ascii_.all():
        other = np.flatnonzero(~ascii_)
        uniq, inv = np.unique(codes[other], return_inverse=True)
        table = np.fromiter((_is_word_char(int(c)) for c in uniq), dtype=bool, count=len(uniq))
        mask[other] = table[inv]
    return mask


_POWERS: dict[int, np.ndarray] = {}  # base -> its powers: made once, sliced for each text
_POWERS_KEPT = 1 << 20  # a text longer than this (a megabyte of characters) has its own, not kept


def _powers(base: np.uint64, n: int) -> np.ndarray:
    made = _POWERS.get(int(base))
    if made is not None and len(made) >= n:
        return made[:n]
    out = np.full(n if n > _POWERS_KEPT else max(n, 1 << 16, 2 * len(made) if made is not None else 0),
                  base, dtype=np.uint64)
    if len(out):
        out[0] = 1
        np.cumprod(out, out=out)  # wraps modulo 2**64, which is the arithmetic we want
    if n <= _POWERS_KEPT:
        out.flags.writeable = False
        _POWERS[int(base)] = out
    return out[:n]


def words(text: str) -> Words:
    """Every word of ``text`` (runs of letters and digits after normalisation), hashed in bulk."""
    norm = normalize(text)
    codes = np.frombuffer(norm.text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Words(np.zeros(0, dtype=np.uint64), empty, empty)
    mask = _word_mask(codes)
    edges = np.diff(np.concatenate(([False], mask, [False])).astype(np.int8))
    w_start = np.flatnonzero(edges == 1)
    w_end = np.flatnonzero(edges == -1)
    # Polynomial hash of each word from prefix sums: h(s, e) = P^s * sum_{s<=j<e} c_j * P^-j (mod 2**64).
    with np.errstate(over="ignore"):
        inv_pows = _powers(_P_INV, len(codes))
        prefix = np.concatenate(([np.uint64(0)], np.cumsum((codes + np.uint64(1)) * inv_pows, dtype=np.uint64)))
        pows = _powers(_P, len(codes))
        hashes = (prefix[w_end] - prefix[w_start]) * pows[w_start]
    return Words(hashes, norm.src_start[w_start], norm.src_end[w_end - 1])


def _fmix64(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xC4CEB9FE1A85EC53)
        return h ^ (h >> np.uint64(33))


def shingles(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hashes of every run of ``k`` consecutive words (one shingle if there are fewer than ``k``)."""
    n = len(word_hashes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    if n < k:
        k = n
    m = n - k + 1
    acc = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):  # k is a handful: vectorised over every shingle at once
            acc = acc * _Q + word_hashes[t : t + m]
    return _fmix64(acc)


def shingles_within(word_hashes: np.ndarray, group: np.ndarray, k: int) -> np.ndarray:
    """One shingle per word: the run of up to ``k`` words starting there, cut at the end of its group.

    ``group`` (non-decreasing, one per word) says which paragraph a word belongs to, so no shingle spans
    two paragraphs and a paragraph shorter than ``k`` words still has shingles. Vectorised over all words.
    """
    n = len(word_hashes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    last = np.searchsorted(group, group, side="right") - 1  # the last word of each word's group
    remaining = last - np.arange(n) + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            nxt = word_hashes[np.minimum(np.arange(n) + t, n - 1)]
            acc = np.where(t < remaining, acc * _Q + nxt, acc)
    return _fmix64(acc)
