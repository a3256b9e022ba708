"""Events: stories that report the same happening, found without being told how many there are.

Each duplicate group speaks once (its canonical story), so forty reprints do not outvote one report.
Stories become TF-IDF vectors over clean text (boilerplate out, title weighted), with an idf that leans on
general English word frequencies where the folder is too small to have its own (see ``idf``).

Grouping is average-linkage agglomeration on a sparse nearest-neighbour graph, never a dense n-by-n matrix:
two events are candidates to merge only if some of their stories are near neighbours, and they merge when
the mean cosine similarity over all their pairs of stories (exact: the dot product of the two events'
summed vectors, divided by the number of pairs) reaches a threshold. Reciprocal best pairs merge in rounds,
which for average linkage gives the same tree as merging the best pair one at a time, in a few vectorised
passes. Average linkage does not chain: a story must be like the event as a whole, not like one member.

Dates constrain merges: the dated stories of an event span at most ``window_days`` and leave no silence of
more than ``gap_days``; undated stories join by content alone. The user's corrections win: must-link pairs
start in one event, cannot-link pairs never end in one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from .event_label import date_range_label, label_events
from .idf import blended_idf
from .model import DuplicateGroup, Event, Progress, Story

__all__ = ["EventSettings", "cluster_events", "date_range_label", "story_vectors"]

LEVEL_STEP = 0.9  # each level of merging takes links at least this fraction of the one before
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # words of letters; "Rutte's" counts as "Rutte"


@dataclass(frozen=True)
class EventSettings:
    similarity: float = 0.25  # cosine of two events' summed story vectors for them to merge
    neighbours: int = 10  # nearest neighbours per story: the only candidates for merging
    window_days: int = 31  # the dated stories of one event lie within this many days
    gap_days: int = 7  # and leave no gap of more than this many days between them
    title_weight: int = 2  # the title counts as this many copies of itself
    label_terms: int = 3
    linkage: str = "centroid"  # or "average": the mean cosine over all pairs of their stories
    language: str = "en"  # of the background word frequencies


def story_vectors(docs: list[str], settings: EventSettings = EventSettings()):
    """L2-normalised TF-IDF rows (sublinear tf, blended idf) and the vocabulary, or (None, None)."""
    counter = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True, dtype=np.float32)
    try:
        counts = counter.fit_transform(docs).tocsr()
    except ValueError:  # not one word in any document
        return None, None
    terms = counter.get_feature_names_out()
    df = np.bincount(counts.indices, minlength=len(terms))
    mean_length = float(counts.sum()) / max(counts.shape[0], 1)
    idf = blended_idf(terms, df, counts.shape[0], mean_length, settings.language)
    # a word that most documents carry says nothing about which event one reports
    idf[idf < 1.0 + np.log(2.0)] = 0.0
    counts.data = 1.0 + np.log(counts.data)
    matrix = normalize(counts @ sp.diags(idf.astype(np.float32)), copy=False)
    matrix.eliminate_zeros()
    return matrix.astype(np.float32), terms


def cluster_events(stories: list[Story], texts: list[str], groups: list[DuplicateGroup],
                   settings: EventSettings = EventSettings(),
                   must_link: list[tuple[str, str]] = (), cannot_link: list[tuple[str, str]] = ()
                   ) -> Iterator[Progress | list[Event]]:
    """Yields Progress, then the events (every story in exactly one)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    reps = [index[g.canonical] for g in groups]
    yield Progress("events", 0, 4)
    if not reps:
        yield []
        return
    docs = [((_whole_words(stories[i].title) + "\n") * settings.title_weight) + texts[i] for i in reps]
    matrix, terms = story_vectors(docs, settings)
    yield Progress("events", 1, 4)
    group_of = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    pairs = [(group_of[a], group_of[b]) for a, b in must_link if a in group_of and b in group_of]
    start = _linked(len(groups), pairs)
    apart = np.array([(group_of[a], group_of[b]) for a, b in cannot_link
                      if a in group_of and b in group_of], dtype=np.int64).reshape(-1, 2)
    lo, hi = _group_dates(stories, groups, index)
    if matrix is None:
        labels = start
    else:
        edges = neighbour_edges(matrix, settings.neighbours)
        yield Progress("events", 2, 4)
        labels = merge_events(matrix, edges, start, lo, hi, apart, settings)
    yield Progress("events", 3, 4)
    events = label_events(stories, groups, labels, matrix, terms, [texts[i] for i in reps], settings.label_terms)
    yield Progress("events", 4, 4)
    yield events


def _whole_words(title: str) -> str:
    """A title shortened with "…" may end in half a word ("allie…"): leave that half out."""
    return title[:-1].rsplit(None, 1)[0] if title.endswith("…") and " " in title else title


def _group_dates(stories, groups, index) -> tuple[np.ndarray, np.ndarray]:
    """First and last publication day (ordinal) of each duplicate group; NaN when none is dated."""
    lo = np.full(len(groups), np.nan)
    hi = np.full(len(groups), np.nan)
    for gi, g in enumerate(groups):
        days = [stories[index[m]].published.toordinal() for m in g.members if stories[index[m]].published]
        if days:
            lo[gi], hi[gi] = min(days), max(days)
    return lo, hi


def _linked(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Component labels 0..m-1 of n items joined by ``pairs`` (the must-links)."""
    if not pairs:
        return np.arange(n)
    a, b = np.array(pairs).T
    graph = sp.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    return sp.csgraph.connected_components(graph, directed=False)[1]


def neighbour_edges(matrix: sp.csr_matrix, k: int, block: int = 512) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's k most similar other rows (cosine, rows are unit vectors), as (i, j, similarity), i < j.

    Similarities are computed a block of rows at a time, so memory is block x n, never n x n."""
    n = matrix.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    rows, cols, sims = [], [], []
    transposed = matrix.T.tocsc()
    for s in range(0, n, block):
        e = min(s + block, n)
        sim = (matrix[s:e] @ transposed).toarray()
        sim[np.arange(e - s), np.arange(s, e)] = -1.0
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        val = np.take_along_axis(sim, top, axis=1)
        keep = val > 0
        rows.append(np.repeat(np.arange(s, e), k)[keep.ravel()])
        cols.append(top[keep])
        sims.append(val[keep])
    i, j, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)
    a, b = np.minimum(i, j), np.maximum(i, j)
    key, first = np.unique(a * n + b, return_index=True)
    return key // n, key % n, v[first]


def merge_events(matrix, edges, start: np.ndarray, lo: np.ndarray, hi: np.ndarray, apart: np.ndarray,
                 settings: EventSettings) -> np.ndarray:
    """Agglomerative merging over the neighbour graph, best links first.

    Levels of similarity descend geometrically from the strongest link to the threshold; at each level,
    events that are each other's best candidate merge in vectorised rounds until none at that level is
    left. So strong links are taken before weak ones (as in one-at-a-time agglomeration) without a Python
    step per merge."""
    labels = np.asarray(start, dtype=np.int64)
    a, b, _ = edges
    level = 1.0
    while True:
        x, y, sim, n_events = _candidate_links(matrix, labels, a, b, lo, hi, apart, settings)
        if len(x) == 0:
            break
        top = float(sim.max())
        while level > top and level > settings.similarity:
            level = max(level * LEVEL_STEP, settings.similarity)
        ok = sim >= level
        if not ok.any():
            break
        x, y, sim = x[ok], y[ok], sim[ok]
        best = _best_partner(x, y, sim, n_events)
        mutual = (best[x] == y) & (best[y] == x)
        target = np.arange(n_events)
        target[y[mutual]] = x[mutual]
        labels = np.unique(target, return_inverse=True)[1][labels]
    return labels


def _candidate_links(matrix, labels, a, b, lo, hi, apart, settings: EventSettings):
    """Pairs of current events joined by a neighbour link, allowed by dates and corrections, with their
    similarity: the cosine of their summed story vectors (centroid linkage)."""
    n_events = int(labels.max()) + 1
    members = sp.csr_matrix((np.ones(len(labels), np.float32), (labels, np.arange(len(labels)))),
                            shape=(n_events, len(labels)))
    sums = members @ matrix
    ev_lo = _reduce(labels, lo, n_events, np.fmin)
    ev_hi = _reduce(labels, hi, n_events, np.fmax)
    x, y = labels[a], labels[b]
    pair = np.unique(np.minimum(x, y) * n_events + np.maximum(x, y))
    x, y = pair // n_events, pair % n_events
    keep = (x != y) & _dates_allow(ev_lo, ev_hi, x, y, settings) & _not_apart(labels, apart, x, y, n_events)
    x, y = x[keep], y[keep]
    if settings.linkage == "centroid":
        scale = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    else:
        scale = np.asarray(members.sum(axis=1)).ravel()
    sim = _mean_similarity(sums, scale, x, y)
    ok = sim >= settings.similarity
    return x[ok], y[ok], sim[ok], n_events


def _reduce(labels, values, n, ufunc) -> np.ndarray:
    out = np.full(n, np.nan)
    ufunc.at(out, labels, values)
    return out


def _dates_allow(lo, hi, x, y, settings: EventSettings) -> np.ndarray:
    """Undated events merge with anything; dated ones only within the window and without a long gap."""
    span = np.fmax(hi[x], hi[y]) - np.fmin(lo[x], lo[y])
    gap = np.maximum(lo[x], lo[y]) - np.minimum(hi[x], hi[y])
    with np.errstate(invalid="ignore"):
        return ~(span > settings.window_days) & ~(gap > settings.gap_days)


def _not_apart(labels, apart: np.ndarray, x, y, n) -> np.ndarray:
    if len(apart) == 0:
        return np.ones(len(x), bool)
    p, q = labels[apart[:, 0]], labels[apart[:, 1]]
    banned = np.minimum(p, q) * n + np.maximum(p, q)
    return ~np.isin(np.minimum(x, y) * n + np.maximum(x, y), banned)


def _mean_similarity(sums, size, x, y, chunk: int = 65536) -> np.ndarray:
    """Mean cosine over all pairs of stories of events x and y: sum_x . sum_y / (|x| |y|)."""
    out = np.empty(len(x), np.float64)
    for s in range(0, len(x), chunk):
        e = min(s + chunk, len(x))
        dots = np.asarray(sums[x[s:e]].multiply(sums[y[s:e]]).sum(axis=1)).ravel()
        out[s:e] = dots / (size[x[s:e]] * size[y[s:e]])
    return out


def _best_partner(x, y, sim, n) -> np.ndarray:
    """Each event's most similar candidate (ties to the lower id), -1 if none."""
    src = np.concatenate([x, y])
    dst = np.concatenate([y, x])
    s = np.concatenate([sim, sim])
    order = np.lexsort((dst, -s, src))
    src, dst = src[order], dst[order]
    first = np.r_[True, src[1:] != src[:-1]]
    best = np.full(n, -1)
    best[src[first]] = dst[first]
    return best
