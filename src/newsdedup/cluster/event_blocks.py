"""The events stage on the workers when the folder is more than one block of time: the local stage's two
rounds (see ``events.undated``) run where they can.

1. Dated stories form their events among themselves, a block of time at a time (``dated_block``): a
   block holds its core and the stories up to two event windows around it, and keeps the events that
   start in its core.
2. Undated stories then find their nearest neighbours among every story: each block offers its core's
   dated stories as candidates (``dated_block``'s asks), the undated stories themselves are one more
   block of candidates (``undated_asks``), and ``nearest.nearest`` picks what the local search would.
3. ``undated_events`` merges the undated stories with each other and into the dated events, by the local
   rules, on the undated stories and the dated events they link to, with those events' stories' whole
   link weight (their links to other dated stories counted by their block); one task per bucket of the
   connected components of those links (merging follows links only, so a component's events are the
   same whatever else its task holds).

Every task gets the folder's word counts, so a story's vector is its vector in the local scan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from newsdedup.cluster.nearest import Asks, candidates, no_asks
from newsdedup.events.cluster import EventSettings, FolderCounts, representative_texts, vector_steps
from newsdedup.events.labels import label_events
from newsdedup.events.links import link_graph
from newsdedup.events.merge import merge_events
from newsdedup.events.neighbours import neighbour_edges
from newsdedup.events.subjects import head_figures, same_figures, same_subject, subject_ids
from newsdedup.events.timing import GroupTimes, decay, group_times
from newsdedup.model import DuplicateGroup, Event, Story, finish

NO_PAIRS = np.empty((0, 2), np.int64)


class BlockFound(NamedTuple):
    events: list[Event]  # the dated events that start in the block's core, labelled
    asks: Asks  # undated groups' candidates among the core's dated groups (scan-wide group numbers)
    links: tuple  # links between the kept events' groups and undated groups: (dated, undated, similarity)
    outside: tuple  # the kept events' groups and each one's link weight to dated groups: (group, weight)


class _Rows(NamedTuple):
    matrix: Any  # the groups' TF-IDF rows (None: not one word)
    terms: Any
    texts: list[str]  # clean text per group's canonical story
    times: GroupTimes
    subjects: np.ndarray
    fade: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _rows(lots, stories: list[Story], groups: list[DuplicateGroup], reps: np.ndarray,
          settings: EventSettings, folder: FolderCounts | None) -> _Rows:
    """Vectors, times and the similarity fade of ``groups``, as ``cluster_events`` makes them."""
    texts = [""] * len(stories)
    for k, text in zip(reps.tolist(), (t for lot in lots for t in lot)):
        texts[k] = text
    index = {s.story_id: i for i, s in enumerate(stories)}
    rep = [index[g.canonical] for g in groups]
    matrix, terms = finish(vector_steps(representative_texts(stories, texts, rep, settings), settings,
                                        folder=folder))
    times = group_times(stories, groups, index)
    heads = [stories[i].title + "\n" + texts[i] for i in rep]
    # a headline name stands for the ticker seen beside it anywhere in the folder, not only in this block
    subjects, figures = subject_ids(heads, folder.names if folder is not None else None), head_figures(heads)

    def fade(i, j):
        return decay(times, i, j, settings) * same_subject(subjects, i, j) * same_figures(figures, i, j)

    return _Rows(matrix, terms, [texts[i] for i in rep], times, subjects, fade)


def dated_block(*lots: list[str], stories: list[Story], groups: list[DuplicateGroup], numbers: np.ndarray,
                reps: np.ndarray, settings: EventSettings, core: tuple[float, float], folder: FolderCounts,
                c: int) -> BlockFound:
    """The dated events of one block (``groups``: its dated groups, then every undated group; ``numbers``:
    their scan-wide numbers), and what the undated round needs of it."""
    r = _rows(lots, stories, groups, reps, settings, folder)
    dated = np.flatnonzero(~np.isnan(r.times.lo))
    undated = np.flatnonzero(np.isnan(r.times.lo))
    if r.matrix is None or len(dated) == 0:
        return BlockFound([], no_asks(), (numbers[:0], numbers[:0], np.empty(0, np.float32)), (numbers[:0], np.empty(0)))
    edges, among = finish(neighbour_edges(r.matrix, settings.link_neighbours, r.fade, ~np.isnan(r.times.lo), dated))
    own = r.matrix[dated]
    graph = link_graph(among, len(dated), settings, own, r.subjects[dated])
    labels = finish(merge_events(own, graph, np.arange(len(dated)), r.times.lo[dated], r.times.hi[dated],
                                 NO_PAIRS, settings))
    made = finish(label_events(stories, [groups[g] for g in dated.tolist()], labels, own, r.terms,
                               [r.texts[g] for g in dated.tolist()], settings.label_terms))
    first, end = core
    kept = [e for e in made if e.start is not None and first <= e.start.toordinal() < end]
    in_kept = np.zeros(len(groups), bool)
    place = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    in_kept[[place[sid] for e in kept for sid in e.story_ids]] = True
    in_core = np.zeros(len(groups), bool)
    in_core[dated[(r.times.lo[dated] >= first) & (r.times.lo[dated] < end)]] = True
    asks = candidates(r.matrix, undated, np.flatnonzero(in_core), c, r.fade)
    return BlockFound(kept, (numbers[asks[0]], numbers[asks[1]], *asks[2:]),
                      _links_out(edges, in_kept, numbers, r.times.lo),
                      _dated_weight(edges, in_kept, numbers, r.matrix, r.times.lo, settings))


def _links_out(edges, in_kept: np.ndarray, numbers: np.ndarray, lo: np.ndarray) -> tuple:
    """The links of kept groups to undated ones, as (dated, undated, similarity) in scan-wide numbers."""
    a, b, v = edges
    flip = np.isnan(lo[a])
    d, u = np.where(flip, b, a), np.where(flip, a, b)
    keep = in_kept[d] & np.isnan(lo[u])
    return numbers[d[keep]], numbers[u[keep]], v[keep]


def _dated_weight(edges, in_kept: np.ndarray, numbers: np.ndarray, matrix, lo: np.ndarray,
                  settings: EventSettings) -> tuple:
    """Each kept group's link weight to dated groups, as ``link_graph`` counts a degree (plain cosine **
    link_power of the links at least link_similarity alike)."""
    a, b, _ = edges
    both = ~np.isnan(lo[a]) & ~np.isnan(lo[b]) & (in_kept[a] | in_kept[b])
    a, b = a[both], b[both]
    plain = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    ok = plain >= settings.link_similarity
    w = np.bincount(np.r_[a[ok], b[ok]], weights=np.r_[plain[ok], plain[ok]].astype(np.float64)
                    ** settings.link_power, minlength=len(lo))
    kept = np.flatnonzero(in_kept)
    return numbers[kept], w[kept]


def undated_asks(*lots: list[str], stories: list[Story], groups: list[DuplicateGroup], numbers: np.ndarray,
                 reps: np.ndarray, settings: EventSettings, folder: FolderCounts, c: int, columns: np.ndarray) -> Asks:
    """The undated groups' candidates among the undated groups ``columns`` (places in ``groups``), in
    scan-wide numbers: one block of columns of the undated stories' search among themselves."""
    r = _rows(lots, stories, groups, reps, settings, folder)
    if r.matrix is None:
        return no_asks()
    q, cand, *similarities = candidates(r.matrix, np.arange(len(groups)), columns, c, r.fade)
    return (numbers[q], numbers[cand], *similarities)  # type: ignore[return-value]


def undated_events(*lots: list[str], stories: list[Story], groups: list[DuplicateGroup], reps: np.ndarray,
                   start: np.ndarray, links: tuple, outside: np.ndarray, settings: EventSettings,
                   folder: FolderCounts, clear: float | None = None) -> list[Event]:
    """The local scan's undated rounds on the undated groups and the dated events they link to (``start``:
    each group's dated event, or a number of its own; ``links``: (i, j, similarity), i < j, in the order of
    ``groups``; ``outside``: each group's link weight to dated groups not given here; ``clear``: the whole
    folder's share of undated stories with a clear best match, see ``undated.folder_clear``). Returns the
    events that hold an undated group, labelled."""
    r = _rows(lots, stories, groups, reps, settings, folder)
    if r.matrix is None:
        return []
    graph = link_graph(links, len(groups), settings, r.matrix, r.subjects, outside)
    labels = np.unique(start, return_inverse=True)[1]
    for undated in ("apart", "join"):
        merging = merge_events(r.matrix, graph, labels, r.times.lo, r.times.hi, NO_PAIRS, settings, undated,
                               clear)
        labels = finish(merging)
    made = finish(label_events(stories, groups, labels, r.matrix, r.terms, r.texts, settings.label_terms))
    undated_ids = {sid for g, lo in zip(groups, r.times.lo) if np.isnan(lo) for sid in g.members}
    return [e for e in made if not undated_ids.isdisjoint(e.story_ids)]
