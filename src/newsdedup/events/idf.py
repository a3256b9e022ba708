"""Inverse document frequencies that work for five articles as well as for a hundred thousand.

A folder of five articles about one meeting has no useful document frequencies of its own: every name in it
is in every article, and "said" is no commoner than "Rutte". So the folder's document counts are blended
with a background: how often each word occurs in general English (the maintained ``wordfreq`` package,
built from many large corpora), read as the share of documents that would carry it. The background counts
as ``background_documents`` documents of prior evidence; a big folder outweighs it, a small one leans on it.

A word of frequency f (per word of running text) appears in a document of L words with probability
1 - exp(-L f) (words as independent Poisson draws): "the" in nearly all, "said" in a third, "Rutte" in
almost none. Then, with N folder documents of which df carry the word and B background documents:

    idf = ln((1 + N + B) / (1 + df + B (1 - exp(-L f)))) + 1

which is scikit-learn's smoothed idf with the background added to both counts. Words wordfreq does not know
(rare names, typos) get a frequency below its smallest listed one.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

BACKGROUND_DOCUMENTS = 1000
UNKNOWN_FREQUENCY = 1e-9  # below wordfreq's smallest listed frequency (1e-8 in its large lists)


@lru_cache(maxsize=4)
def _frequencies(language: str) -> dict[str, float]:
    import wordfreq

    try:
        return wordfreq.get_frequency_dict(language, wordlist="large")
    except LookupError:
        return wordfreq.get_frequency_dict(language, wordlist="best")


def frequencies_of(terms, language: str = "en", known: dict[str, float] | None = None) -> np.ndarray:
    """Each term's frequency in general text. ``known``: frequencies looked up before (a workspace keeps
    them); the ones looked up here are added to it, and wordfreq's list (a third of a second to load) is
    read only when a term is not in it. None: none kept (a plain scan: a million terms' would hold about
    a hundred megabytes)."""
    if known is None:
        freq = _frequencies(language)
        return np.fromiter((freq.get(t, UNKNOWN_FREQUENCY) for t in terms), dtype=np.float64, count=len(terms))
    saved: list[float | None] = [known.get(t) for t in terms] if known else [None] * len(terms)
    missing = saved.count(None)
    if missing == len(terms) and missing:  # (a first scan) every term looked up, in one pass
        freq = _frequencies(language)
        found = [freq.get(t, UNKNOWN_FREQUENCY) for t in terms]
        known.update(zip(terms, found))
        return np.array(found, dtype=np.float64)
    if missing:
        freq = _frequencies(language)
        for k in [k for k, f in enumerate(saved) if f is None]:
            saved[k] = known[terms[k]] = freq.get(terms[k], UNKNOWN_FREQUENCY)
    return np.array(saved, dtype=np.float64)


def background_share(terms, mean_length: float, language: str = "en",
                     frequency: np.ndarray | None = None) -> np.ndarray:
    """For each term, the share of documents of ``mean_length`` words that would carry it in general text
    (``frequency``: the terms' frequencies, where already looked up, see ``frequencies_of``)."""
    if frequency is None:
        frequency = frequencies_of(terms, language)
    return -np.expm1(-max(mean_length, 1.0) * frequency)


def blended_idf(terms, df: np.ndarray, n_documents: int, mean_length: float, language: str = "en",
                background_documents: int | None = None, frequency: np.ndarray | None = None) -> np.ndarray:
    """Smoothed idf of each term from the folder's document counts ``df`` plus the background
    (``frequency``: see ``background_share``)."""
    share = background_share(terms, mean_length, language, frequency)
    b = float(BACKGROUND_DOCUMENTS if background_documents is None else background_documents)
    return np.log((1.0 + n_documents + b) / (1.0 + np.asarray(df, dtype=np.float64) + b * share)) + 1.0
