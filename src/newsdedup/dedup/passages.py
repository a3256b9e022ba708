"""Shared passages: where exactly two stories share text, as spans of both original texts.

Words are matched after normalisation (case, accents, quote and dash kinds, punctuation and whitespace do
not matter). Runs of at least ``seed_words`` words that stand in both stories, on the same diagonal, are
the seeds; the longest are kept without overlap, then joined in reading order where only a few words
differ between them (WCopyfind's "imperfections"), and passages that still share fewer than
``min_words`` words are dropped. All of it is NumPy over the two stories' word hashes, fast enough to run
on a click. A passage most of whose 5-word runs many stories of the folder hold is marked ``stock``
(stock phrasing: shown, but not evidence of reuse; see ``dedup.shared``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsdedup.dedup.shared import frequency_from_bytes, frequency_of
from newsdedup.model import ScanResult, SharedPassage, Story
from newsdedup.signatures import SHINGLE_BITS
from newsdedup.text import Words, shingles, words


@dataclass(frozen=True)
class PassageSettings:
    seed_words: int = 4
    min_words: int = 8
    max_gap_words: int = 3  # words that may differ between two runs joined into one passage
    max_repeats: int = 8  # a phrase standing more often than this in one story is not evidence


def _seed_pairs(ha: np.ndarray, hb: np.ndarray, max_repeats: int) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with ha[i] == hb[j], phrases repeated too often left out."""
    common = np.intersect1d(ha, hb)
    if len(common) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ia = np.flatnonzero(np.isin(ha, common))
    ib = np.flatnonzero(np.isin(hb, common))
    ia = ia[np.argsort(ha[ia], kind="stable")]
    ib = ib[np.argsort(hb[ib], kind="stable")]
    _, ca = np.unique(ha[ia], return_counts=True)
    _, cb = np.unique(hb[ib], return_counts=True)
    keep = (ca <= max_repeats) & (cb <= max_repeats)
    a_block = np.repeat(keep, ca)
    b_block = np.repeat(keep, cb)
    ia, ib, ca, cb = ia[a_block], ib[b_block], ca[keep], cb[keep]
    if len(ca) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # Cross product within each value's block, vectorised.
    reps = np.repeat(cb, ca)  # each A occurrence pairs with every B occurrence of its value
    a_idx = np.repeat(ia, reps)
    b_start = np.repeat(np.concatenate(([0], np.cumsum(cb)[:-1])), ca)
    first_of_a = np.concatenate(([0], np.cumsum(reps)[:-1]))
    within = np.arange(reps.sum()) - np.repeat(first_of_a, reps)
    b_idx = ib[np.repeat(b_start, reps) + within]
    return a_idx, b_idx


def _runs(a_idx: np.ndarray, b_idx: np.ndarray, k: int) -> list[tuple[int, int, int, int]]:
    """Maximal diagonal runs as (a_first_word, a_last_word, b_first_word, b_last_word), inclusive."""
    if len(a_idx) == 0:
        return []
    diag = b_idx - a_idx
    order = np.lexsort((a_idx, diag))
    a_s, d_s = a_idx[order], diag[order]
    breaks = np.flatnonzero((np.diff(a_s) != 1) | (np.diff(d_s) != 0)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(a_s)])) - 1
    return [(int(a_s[s]), int(a_s[e]) + k - 1, int(a_s[s] + d_s[s]), int(a_s[e] + d_s[s]) + k - 1)
            for s, e in zip(starts, ends)]


def _without_overlap(runs: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    taken: list[tuple[int, int, int, int]] = []
    for r in sorted(runs, key=lambda r: (r[0] - r[1], r[0])):  # longest first
        if all(r[1] < t[0] or t[1] < r[0] for t in taken) and all(r[3] < t[2] or t[3] < r[2] for t in taken):
            taken.append(r)
    return sorted(taken)


@dataclass(frozen=True)
class StockPhrasing:
    """What makes a passage stock phrasing: the folder's run frequencies (``shared.phrase_frequency``), the
    run length they were counted in, and from how many stories on a run is stock."""

    common: np.ndarray
    shingle_size: int = 5
    stories: int = 10

    def covers(self, hashes: np.ndarray) -> bool:
        """Whether over half of the runs of these words are stock phrasing."""
        runs = shingles(hashes, self.shingle_size) >> np.uint64(64 - SHINGLE_BITS)  # as ``shingle_sets`` keeps them
        return bool(len(runs)) and 2 * int((frequency_of(runs, self.common) >= self.stories).sum()) > len(runs)


def passages_between(wa: Words, wb: Words, settings: PassageSettings = PassageSettings(),
                     stock: StockPhrasing | None = None) -> list[SharedPassage]:
    """Shared passages of two word sequences, as character spans of their original texts."""
    k = settings.seed_words
    if len(wa) < k or len(wb) < k:
        return []
    a_idx, b_idx = _seed_pairs(shingles(wa.hashes, k), shingles(wb.hashes, k), settings.max_repeats)
    runs = _without_overlap(_runs(a_idx, b_idx, k))
    merged: list[list[int]] = []  # [a0, a1, b0, b1, matched_words]
    for a0, a1, b0, b1 in runs:
        if merged:
            last = merged[-1]
            gap_a, gap_b = a0 - last[1] - 1, b0 - last[3] - 1
            if 0 <= gap_a <= settings.max_gap_words and 0 <= gap_b <= settings.max_gap_words:
                last[1], last[3] = a1, b1
                last[4] += a1 - a0 + 1
                continue
        merged.append([a0, a1, b0, b1, a1 - a0 + 1])
    return [SharedPassage(int(wa.starts[a0]), int(wa.ends[a1]), int(wb.starts[b0]), int(wb.ends[b1]), n,
                          stock is not None and stock.covers(wa.hashes[a0:a1 + 1]))
            for a0, a1, b0, b1, n in merged if n >= settings.min_words]


def story_words(result: ScanResult, story: Story) -> Words:
    """The words of a story's clean text (boilerplate out), with spans in its document's text."""
    return words(result.document(story.doc_id).text).within(story.clean_ranges())


def stock_phrasing(result: ScanResult) -> StockPhrasing:
    """The stock phrasing of the folder a result was scanned from, as its scan counted it."""
    duplicates = result.settings.get("duplicates", {})
    return StockPhrasing(frequency_from_bytes(result.common_phrases), duplicates.get("shingle_size", 5),
                         duplicates.get("stock_phrase_stories", 10))


def shared_passages(result: ScanResult, a: Story, b: Story,
                    settings: PassageSettings = PassageSettings()) -> list[SharedPassage]:
    """Passages story ``a`` shares with story ``b``, in ``a``'s reading order, stock phrasing marked."""
    return passages_between(story_words(result, a), story_words(result, b), settings, stock_phrasing(result))
