"""Filled forms: two items of one series are not reuse of each other.

A wire runs series of items written on one form: a company's results ("Net profit 6.91 billion won vs
6.10 billion / Sales ..."), a weekly levy or price notice ("The following import levies for white and raw
sugar are effective tomorrow ... 51.94 versus 51.36"), a price change ("... said it is lowering its copper
cathode price by 0.25 cent to 65.50 cents a lb"). Two items of a series share most of their words, yet
neither is built on the other: each fills the form with its own figures and names. What tells them from a
story built on another is where they differ. Read in order, two filled forms differ only in short slots,
at the same places in both (one's figure or name where the other has its own); a story built on another
carries text of its own, a sentence or more, beside what it took (a reply quoting a post has its own lines;
a rewrite of a wire story has its own paragraphs).

So a pair is a filled form when, aligned in reading order on runs of ``seed_words`` words both hold, each
holds at most ``slot_words`` words of its own at any place, and at least as many places differ on both
sides (a slot filled twice) as on one side only (words added). NumPy over the two stories' word hashes,
run only on the few pairs graded partial reuse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from newsdedup.dedup.passages import _runs, _seed_pairs, _without_overlap
from newsdedup.text import Words, shingles, words

SEED_WORDS = 3  # "billion won vs" between two figures is still the form
SLOT_WORDS = 5  # words in one slot besides figures: a company's name ("Texaco Canada Inc"), a unit
MAX_REPEATS = 8


def filled_form(text_a: str, text_b: str, seed_words: int = SEED_WORDS, slot_words: int = SLOT_WORDS,
                said: tuple[Words, Words] | None = None) -> bool:
    """Whether two stories (their clean texts) are one form filled with other figures or names (see above);
    ``said``: the texts' words, where already read."""
    wa, wb = said or (words(text_a), words(text_b))
    k = seed_words
    if len(wa) < k or len(wb) < k:
        return False
    a_idx, b_idx = _seed_pairs(shingles(wa.hashes, k), shingles(wb.hashes, k), MAX_REPEATS)
    kept: list[tuple[int, int, int, int]] = []
    for run in _without_overlap(_runs(a_idx, b_idx, k)):  # in reading order of a; one step per shared run
        if not kept or run[2] > kept[-1][3]:  # and of b: a run out of order is no part of the form
            kept.append(run)
    if not kept:
        return False
    runs = np.array(kept, dtype=np.int64)
    slots_a = _slots(text_a, wa, runs[:, 0], runs[:, 1])
    slots_b = _slots(text_b, wb, runs[:, 2], runs[:, 3])
    return _short_slots(slots_a, slots_b, slot_words)


def _slots(text: str, said: Words, first: np.ndarray, last: np.ndarray) -> list[list[str]]:
    """A story's own words before, between and after its shared runs (inclusive word numbers)."""
    bounds = zip(np.concatenate(([0], last + 1)).tolist(), np.concatenate((first, [len(said)])).tolist())
    return [[text[s:e] for s, e in zip(said.starts[lo:hi].tolist(), said.ends[lo:hi].tolist())] for lo, hi in bounds]


def _short_slots(slots_a: list[list[str]], slots_b: list[list[str]], slot_words: int) -> bool:
    """Every place short; where both differ, each holds a figure or a name; filled twice at least as often as
    added to."""
    both = one = 0
    for a, b in zip(slots_a, slots_b):  # one step per place the two differ
        if _wordy(a) > slot_words or _wordy(b) > slot_words:
            return False
        if a and b:
            if not (_filled(a) and _filled(b)):
                return False
            both += 1
        elif a or b:
            one += 1
    return both > 0 and both >= one


def _wordy(slot: list[str]) -> int:
    return sum(1 for w in slot if not w.isdigit())  # a figure is words of digits ("4,275.4": 4 275 4)


def _filled(slot: list[str]) -> bool:
    return any(w.isdigit() or w[:1].isupper() for w in slot)


def filled_forms(pairs: np.ndarray, texts_of: Callable[[Sequence[int]], list[str]]) -> np.ndarray:
    """Which of ``pairs`` (story numbers) are filled forms; ``texts_of`` gives the clean texts of stories."""
    found = np.zeros(len(pairs), dtype=bool)
    if len(pairs) == 0:
        return found
    wanted = np.unique(pairs).tolist()
    text = dict(zip(wanted, texts_of(wanted)))
    said = {i: words(t) for i, t in text.items()}  # each story's words read once: a story is in many pairs
    for k, (i, j) in enumerate(pairs.tolist()):  # one step per reuse pair
        found[k] = filled_form(text[i], text[j], said=(said[i], said[j]))
    return found
