"""Who a template item is about, and what it reports: the company a brief names and the figures it gives,
which no similarity of words can stand in for.

Earnings briefs, dividend notices and market items of a wire are written in one template ("Qtr shr 33 cts
vs 29 cts / Net 14.8 mln vs 11 mln"): the template is most of each item's words, so two briefs of
different companies look more alike than two reports of one happening in different words. What tells them
apart is what differs, and it is evidence:

- the company, named by its ticker in the headline or the first lines ("SERVICE CORP INTERNATIONAL <SRV>
  3RD QTR NET", "Acme Inc (NYSE: ACM) said") or, without a ticker, by its name in brackets ("<IVACO INC>
  YEAR NET", "(MARSHALL STEEL LTD) YEAR NET"): two stories that each name a company, and not the same
  one, are never linked, however alike their words;
- the figures: two stories whose heads each give three figures or more and share none report two items
  (two companies' quarters, two days' market tables), however alike the rest; reports of one happening
  share their figures ("killed 23", "$400 million"). A dividend notice gives one or two figures, so two
  funds of one family ("Mthly div 6.6 cts", "Mthly div 6.1 cts") are told apart only by a bracketed name.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

# a ticker, or (as a wire writes a company without one) its name in angle brackets, "<IVACO INC>", or in
# round ones when it ends as a company's name does, "(MARSHALL STEEL LTD)" (not "(AP)", not "(UPDATE 2)")
_TICKER = re.compile(r"<([A-Z][\w.&'/ -]{0,60})>|\((?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|TSX|ASX)\s*:\s*([A-Z][A-Z0-9.]{0,7})\)"
                     r"|\(([A-Z][\w.&'/ -]{0,50}\s(?:INC|LTD|CORP|CO|PLC|AG|NV|SA|LLC|GROUP|Inc|Ltd|Corp|Co|Plc))\.?\)")
HEAD_CHARS = 400


def subject_ids(heads: list[str]) -> np.ndarray:
    """For each text (a title and the first lines of a story), a number for the first ticker it names,
    the same number for the same ticker; -1 where it names none."""
    known: dict[str, int] = {}
    out = np.full(len(heads), -1, np.int64)
    for n, head in enumerate(heads):
        m = _TICKER.search(head[:HEAD_CHARS])
        if m:
            name = next(g for g in m.groups() if g)
            out[n] = known.setdefault(" ".join(name.split()), len(known))
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


# figures as the events' terms count them (see ``cluster``): "14.8", "4,001,000", "33"; not years, not single digits
_FIGURE = re.compile(r"(?<![\w.,])(?!(?:19|20)\d\d\b)(?:\d+(?:[.,]\d+)+|\d{2,})(?!\w)")
# a lead of a report gives a figure or two; a template item gives its figures up front ("Shr 33 cts vs 29 cts /
# Net 14.8 mln vs 11 mln"): with three or more each and none in common, two heads are two items (two or
# more cost ecbplus and wikiref reports of one happening that quote different figures)
MIN_FIGURES = 3


def head_figures(heads: list[str]) -> sp.csr_matrix:
    """Which figures the head of each text (title and first lines) gives: a story by figure 0/1 matrix."""
    known: dict[str, int] = {}
    rows, cols = [], []
    for n, head in enumerate(heads):
        for f in set(_FIGURE.findall(head[:HEAD_CHARS])):
            rows.append(n)
            cols.append(known.setdefault(f, len(known)))
    return sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(heads), max(len(known), 1)))


def same_figures(figures: sp.csr_matrix, i, j) -> np.ndarray:
    """0 where stories i and j each give figures in their heads and share none: two template items (an
    earnings brief, a dividend notice, a market report) of different companies or days; else 1."""
    i, j = np.broadcast_arrays(np.asarray(i), np.asarray(j))
    a, b = i.ravel(), j.ravel()
    counts = np.diff(figures.indptr)
    shared = np.asarray(figures[a].multiply(figures[b]).sum(axis=1)).ravel()
    apart = (counts[a] >= MIN_FIGURES) & (counts[b] >= MIN_FIGURES) & (shared == 0)
    return np.where(apart, 0.0, 1.0).reshape(i.shape)
