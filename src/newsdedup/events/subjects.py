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
- the company a template headline names ("FRANKLIN OHIO INSURED TAX-FREE SETS PAYOUT", "WHITTAKER CORP 1ST
  QTR NET"): the words before the template's own ("SETS PAYOUT", "1ST QTR NET"), without "Inc", "Corp" and the
  like. A headline name and a ticker seen together in one brief stand for one company, so "NORTHERN TELECOM
  PROPOSES STOCK SPLIT" and "NORTHERN TELECOM LTD <NT> DECLARES STOCK SPLIT" stay one; two funds of one
  family ("FRANKLIN OHIO INSURED", "FRANKLIN MINNESOTA INSURED") are two;
- the figures: two stories whose heads each give three figures or more and share none report two items
  (two companies' quarters, two days' market tables), however alike the rest; reports of one happening
  share their figures ("killed 23", "$400 million"). A dividend notice gives one or two figures, so two
  funds of one family ("Mthly div 6.6 cts", "Mthly div 6.1 cts") are told apart only by a bracketed name.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable

import numpy as np
import scipy.sparse as sp

# a ticker, or (as a wire writes a company without one) its name in angle brackets, "<IVACO INC>" (a long one
# broken over two lines), or in round ones when it ends as a company's name does, "(MARSHALL STEEL LTD)" (not
# "(AP)", not "(UPDATE 2)"), or an exchange's ticker in round ones, "(CANN.T)"
_TICKER = re.compile(r"<([A-Z][\w.&'/ \n-]{0,60})>|\((?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|TSX|ASX)\s*:\s*([A-Z][A-Z0-9.]{0,7})\)"
                     r"|\(([A-Z][\w.&'/ -]{0,50}\s(?:INC|LTD|CORP|CO|PLC|AG|NV|SA|LLC|GROUP|Inc|Ltd|Corp|Co|Plc))\.?\)"
                     r"|\(([A-Z]{2,6}\.[A-Z]{1,2})\)")
HEAD_CHARS = 400
# a template headline: a company's name, then what the template reports ("SETS PAYOUT", "4TH QTR NET", "QTLY
# DIV", "YEAR LOSS", "DECLARES STOCK SPLIT"); the name ends where a ticker, a period or a verb of the template
# begins
_PERIOD = (r"(?:(?:1ST|2ND|3RD|4TH|FIRST|SECOND|THIRD|FOURTH)\s+(?:QTR|QUARTER)|QTR|QTLY|QUARTERLY|MTHLY|MONTHLY"
           r"|SEMI-?ANNUAL|ANNUAL|INITIAL|SPECIAL|REGULAR|EXTRA|YEAR|NINE\s+MONTHS|SIX\s+MONTHS|\d{4})")
_REPORT = r"(?:NET|LOSS|PROFITS?|SHR|DIV|DIVIDENDS?|PAYOUTS?|DISTRIBUTION|EARNINGS|RESULTS|REVS|SALES|STOCK\s+SPLIT|SPLIT)"
_VERB = r"(?:SETS|RAISES|CUTS|OMITS|DECLARES|PROPOSES|REPORTS|POSTS|LIFTS|BOOSTS|HIKES|INCREASES|PAYS|VOTES|IN|HAS)"
_TEMPLATE_HEAD = re.compile(rf"^\s*(?P<name>[A-Z][\w.&'/ -]*?)\s*(?:<[^>]*>\s*)?"
                            rf"(?:\b{_VERB}\b[\w\s.,-]*?|\b{_PERIOD}\b[\w\s.,-]*?)?\b{_REPORT}\b", re.I)
# a brief's body is written in the template: lines that start with its words ("Shr 33 cts", "Qtly div 15 cts")
_TEMPLATE_LINE = re.compile(r"^\s*(?:Oper\s+)?(?:Shr|Net|Revs|Qtly div|Mthly div|Semi-annual div|Annual div|Div|"
                            r"Payable|Record|Sales|Loss)\b", re.M | re.I)
_NOT_NAME = {"INC", "LTD", "CORP", "CORPORATION", "CO", "COS", "PLC", "AG", "NV", "SA", "LLC", "GROUP", "HOLDINGS",
             "THE", "OF", "AND", "&", "L.P.", "LP"}


NamesSeen = dict[str, dict[str, set[str]]]  # a headline name's first word -> the name -> tickers seen beside it


def _tickers_and_names(heads: list[str]) -> tuple[list[str | None], list[str | None]]:
    tickers, names = [], []
    for head in heads:
        m = _TICKER.search(head[:HEAD_CHARS])
        tickers.append(" ".join(next(g for g in m.groups() if g).split()) if m else None)
        names.append(headline_name(head[:HEAD_CHARS]))
    return tickers, names


def names_seen(heads: list[str]) -> NamesSeen:
    """The headline names seen beside a ticker in one of ``heads``, with those tickers: what lets a brief
    that names its company only in its headline stand for the company's ticker. A cluster scan gathers
    them per partition and joins them (``joined_names``), so a block sees the folder's, as a local scan does."""
    return _seen(*_tickers_and_names(heads))


def _seen(tickers: list[str | None], names: list[str | None]) -> NamesSeen:
    seen: NamesSeen = {}
    for ticker, name in zip(tickers, names):
        if ticker and name:
            seen.setdefault(name.split()[0], {}).setdefault(name, set()).add(ticker)
    return seen


def joined_names(a: NamesSeen, b: NamesSeen) -> NamesSeen:
    out = {first: {name: set(t) for name, t in names.items()} for first, names in a.items()}
    for first, names in b.items():
        for name, tickers in names.items():
            out.setdefault(first, {}).setdefault(name, set()).update(tickers)
    return out


def subject_ids(heads: list[str], seen: NamesSeen | None = None) -> np.ndarray:
    """For each text (a title and the first lines of a story), a number for the company it is a brief of:
    the first ticker (or bracketed name) it names, else the name its template headline gives (see
    ``headline_name``); the same number for the same company, -1 where it names none. A headline name
    seen beside one ticker (and no other) stands for that ticker's company: seen in ``heads``, or in
    ``seen`` when given (the whole folder's, ``names_seen``, when ``heads`` are a part of it)."""
    return _subject_ids(*_tickers_and_names(heads), seen)


def head_steps(chunks: Iterable[list[str]]) -> Generator[int, None, tuple[np.ndarray, sp.csr_matrix]]:
    """``subject_ids`` and ``head_figures`` of heads given a chunk at a time (a second or more each at 100k
    stories: a caller reports between them); yields the heads read so far."""
    tickers: list[str | None] = []
    names: list[str | None] = []
    figures: list[set[str]] = []
    for heads in chunks:
        found = _tickers_and_names(heads)
        tickers += found[0]
        names += found[1]
        figures += _figures_of(heads)
        yield len(figures)
    return _subject_ids(tickers, names), _figure_matrix(figures)


def _subject_ids(tickers: list[str | None], names: list[str | None], seen: NamesSeen | None = None) -> np.ndarray:
    if seen is None:
        seen = _seen(tickers, names)
    known: dict[str, int] = {}
    out = np.full(len(tickers), -1, np.int64)
    for n, (ticker, name) in enumerate(zip(tickers, names)):
        if not ticker and name:
            ticker = _ticker_of(name, seen.get(name.split()[0], {}))
        if ticker:
            out[n] = known.setdefault(ticker, len(known))
    return out


def _ticker_of(name: str, seen: dict[str, set[str]]) -> str:
    """The one ticker seen beside this headline name, or beside a name that begins as it does ("LIBERTY
    ALL-STAR" and "LIBERTY ALL-STAR EQUITY FUND": a headline shortens a name or spells it out); else the
    name itself stands for its company."""
    words = name.split()
    found = set()
    for other, tickers in seen.items():
        short = other.split()
        if short[:len(words)] == words or words[:len(short)] == short:
            found |= tickers
    return next(iter(found)) if len(found) == 1 else "name: " + name


def headline_name(head: str) -> str | None:
    """The company a template brief's headline names, in capitals without "Inc", "Corp" and the like
    ("FRANKLIN OHIO INSURED TAX-FREE" of "FRANKLIN OHIO INSURED TAX-FREE SETS PAYOUT"); None unless the
    headline reads as a template's ("... SETS PAYOUT", "... 4TH QTR NET") and the brief is written as one
    (its headline shouted as a wire's are, or its lines the template's: "Shr 33 cts", "Qtly div 15 cts")."""
    title, _, body = head.partition("\n")
    m = _TEMPLATE_HEAD.match(title)
    if not m or not (title.isupper() or _TEMPLATE_LINE.search(body)):
        return None
    words = [w.strip("'.,").removesuffix("'S") for w in m.group("name").upper().split()]
    words = [w for w in words if w and w not in _NOT_NAME]
    return " ".join(words) or None


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
    return _figure_matrix(_figures_of(heads))


def _figures_of(heads: list[str]) -> list[set[str]]:
    return [set(_FIGURE.findall(head[:HEAD_CHARS])) for head in heads]


def _figure_matrix(figures: list[set[str]]) -> sp.csr_matrix:
    known: dict[str, int] = {}
    rows, cols = [], []
    for n, found in enumerate(figures):
        for f in found:
            rows.append(n)
            cols.append(known.setdefault(f, len(known)))
    return sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(figures), max(len(known), 1)))


def same_figures(figures: sp.csr_matrix, i, j) -> np.ndarray:
    """0 where stories i and j each give figures in their heads and share none: two template items (an
    earnings brief, a dividend notice, a market report) of different companies or days; else 1."""
    i, j = np.broadcast_arrays(np.asarray(i), np.asarray(j))
    a, b = i.ravel(), j.ravel()
    counts = np.diff(figures.indptr)
    shared = np.asarray(figures[a].multiply(figures[b]).sum(axis=1)).ravel()
    apart = (counts[a] >= MIN_FIGURES) & (counts[b] >= MIN_FIGURES) & (shared == 0)
    return np.where(apart, 0.0, 1.0).reshape(i.shape)
