"""Who a template item is about: the company a brief names by its ticker, which no similarity of words
can stand in for.

Earnings briefs, dividend notices and market items of a wire are written in one template ("Qtr shr 33 cts
vs 29 cts / Net 14.8 mln vs 11 mln"): the template is most of each item's words, so two briefs of
different companies look more alike than two reports of one happening in different words. What tells them
apart is what differs: the company, named by its ticker in the headline or the first lines ("SERVICE CORP
INTERNATIONAL <SRV> 3RD QTR NET", "Acme Inc (NYSE: ACM) said"), and the figures (counted as terms, see
``cluster``). Two stories that each name a ticker, and not the same one, are about two companies: they
are never linked, however alike their words.
"""

from __future__ import annotations

import re

import numpy as np

_TICKER = re.compile(r"<([A-Z][A-Z0-9.]{0,7})>|\((?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|TSX|ASX)\s*:\s*([A-Z][A-Z0-9.]{0,7})\)")
HEAD_CHARS = 400


def subject_ids(heads: list[str]) -> np.ndarray:
    """For each text (a title and the first lines of a story), a number for the first ticker it names,
    the same number for the same ticker; -1 where it names none."""
    known: dict[str, int] = {}
    out = np.full(len(heads), -1, np.int64)
    for n, head in enumerate(heads):
        m = _TICKER.search(head[:HEAD_CHARS])
        if m:
            out[n] = known.setdefault(m.group(1) or m.group(2), len(known))
    return out


def same_subject(subjects: np.ndarray, i, j) -> np.ndarray:
    """1 where stories i and j may be about one thing, 0 where each names a different ticker."""
    a, b = subjects[i], subjects[j]
    return np.where((a >= 0) & (b >= 0) & (a != b), 0.0, 1.0)


def one_subject(lo: np.ndarray, hi: np.ndarray, x, y) -> np.ndarray:
    """Which pairs of events (x, y) may merge: unless both name tickers and together more than one
    (``lo``/``hi``: each event's lowest and highest ticker number, NaN for none)."""
    with np.errstate(invalid="ignore"):
        return ~((np.fmax(hi[x], hi[y]) != np.fmin(lo[x], lo[y])) & ~np.isnan(lo[x]) & ~np.isnan(lo[y]))


def one_subject_each(joiners, proposed, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Which joiners keep their proposed group to one ticker at most."""
    n = len(proposed)
    g_lo, g_hi = np.full(n, np.nan), np.full(n, np.nan)
    np.fmin.at(g_lo, proposed, lo)
    np.fmax.at(g_hi, proposed, hi)
    group = proposed[joiners]
    with np.errstate(invalid="ignore"):
        return ~((g_hi[group] != g_lo[group]) & ~np.isnan(lo[joiners]))
