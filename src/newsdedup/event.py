"""Events: stories that report the same happening, found without being told how many there are.

Each duplicate group speaks once (its canonical story), so forty reprints do not outvote one report.
Stories are compared by TF-IDF over clean text (boilerplate out, title weighted) through a sparse
nearest-neighbour graph, never a dense n-by-n matrix. Links are taken strongest first and two groups of
stories merge only while the dated stories of the merged event stay within a window of days: stories
months apart are not one event however alike their words, and undated stories join by content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from .model import DuplicateGroup, Event, Progress, Story


@dataclass(frozen=True)
class EventSettings:
    similarity: float = 0.25  # cosine of TF-IDF vectors for two stories to be linked
    neighbours: int = 10
    window_days: int = 10  # the dated stories of one event lie within this many days
    title_weight: int = 2
    label_terms: int = 3


def cluster_events(stories: list[Story], texts: list[str], groups: list[DuplicateGroup],
                   settings: EventSettings = EventSettings(),
                   must_link: list[tuple[str, str]] = (), cannot_link: list[tuple[str, str]] = ()
                   ) -> Iterator[Progress | list[Event]]:
    """Yields Progress, then the events (every story in exactly one)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    reps = [index[g.canonical] for g in groups]
    n = len(reps)
    yield Progress("events", 0, 3)
    if n == 0:
        yield []
        return
    docs = [((stories[i].title + "\n") * settings.title_weight) + texts[i] for i in reps]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1, max_df=0.9 if n > 20 else 1.0,
                                 token_pattern=r"(?u)\b[^\W\d_][\w'’-]+\b")
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no words at all
        matrix = None
    yield Progress("events", 1, 3)
    edges: list[tuple[float, int, int]] = []
    if matrix is not None and n > 1:
        k = min(settings.neighbours + 1, n)
        nn = NearestNeighbors(n_neighbors=k, metric="cosine").fit(matrix)
        dist, nbr = nn.kneighbors(matrix)
        for i in range(n):
            for d, j in zip(dist[i], nbr[i], strict=True):
                sim = 1.0 - d
                if j != i and sim >= settings.similarity:
                    edges.append((sim, min(i, int(j)), max(i, int(j))))
    yield Progress("events", 2, 3)
    group_of_story = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    for a, b in must_link:
        if a in group_of_story and b in group_of_story:
            edges.append((2.0, group_of_story[a], group_of_story[b]))
    forbidden = {(min(group_of_story[a], group_of_story[b]), max(group_of_story[a], group_of_story[b]))
                 for a, b in cannot_link if a in group_of_story and b in group_of_story}
    labels = _constrained_link(edges, [stories[i].published for i in reps], settings.window_days, forbidden)
    events = _make_events(stories, groups, labels, matrix, vectorizer if matrix is not None else None, settings)
    yield Progress("events", 3, 3)
    yield events


def _constrained_link(edges: list[tuple[float, int, int]], dates: list[dt.date | None], window: int,
                      forbidden: set[tuple[int, int]]) -> list[int]:
    n = len(dates)
    parent = list(range(n))
    lo = [d.toordinal() if d else None for d in dates]
    hi = list(lo)
    members: dict[int, set[int]] = {i: {i} for i in range(n)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for sim, a, b in sorted(set(edges), reverse=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        new_lo = min(x for x in (lo[ra], lo[rb]) if x is not None) if (lo[ra] or lo[rb]) else None
        new_hi = max(x for x in (hi[ra], hi[rb]) if x is not None) if (hi[ra] or hi[rb]) else None
        if sim <= 1.0 and new_lo is not None and new_hi - new_lo > window:
            continue
        if any((min(x, y), max(x, y)) in forbidden for x in members[ra] for y in members[rb]):
            continue
        parent[rb] = ra
        lo[ra], hi[ra] = new_lo, new_hi
        members[ra] |= members.pop(rb)
    return [find(i) for i in range(n)]


def _make_events(stories: list[Story], groups: list[DuplicateGroup], labels: list[int], matrix,
                 vectorizer, settings: EventSettings) -> list[Event]:
    by_label: dict[int, list[int]] = {}
    for gi, lab in enumerate(labels):
        by_label.setdefault(lab, []).append(gi)
    index = {s.story_id: s for s in stories}
    terms_all = vectorizer.get_feature_names_out() if vectorizer is not None else None
    overall = np.asarray(matrix.mean(axis=0)).ravel() if matrix is not None else None
    events: list[Event] = []
    for gis in by_label.values():
        story_ids = tuple(sid for gi in gis for sid in groups[gi].members)
        dated = sorted(index[s].published for s in story_ids if index[s].published is not None)
        start, end = (dated[0], dated[-1]) if dated else (None, None)
        terms: tuple[str, ...] = ()
        if matrix is not None:
            centre = np.asarray(matrix[gis].mean(axis=0)).ravel()
            score = centre - overall if len(by_label) > 1 else centre
            top = np.argsort(-score)[: settings.label_terms]
            terms = tuple(str(terms_all[t]) for t in top if centre[t] > 0)
        events.append(Event(0, "", start, end, story_ids, terms))
    events.sort(key=lambda e: (e.start is None, e.start or dt.date.max, -len(e.story_ids)))
    out = []
    for eid, e in enumerate(events):
        label = " · ".join(t.capitalize() if t.islower() else t for t in e.terms)
        when = date_range_label(e.start, e.end)
        out.append(Event(eid, f"{label} · {when}" if when else label, e.start, e.end, e.story_ids, e.terms))
    return out


def date_range_label(start: dt.date | None, end: dt.date | None) -> str:
    """'3 Dec 2024', '3–4 Dec 2024', '28 Nov – 4 Dec 2024', '30 Dec 2024 – 2 Jan 2025'."""
    if start is None or end is None:
        return ""
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
