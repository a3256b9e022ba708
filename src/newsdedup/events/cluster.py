"""Events: stories that report the same happening, found without being told how many there are.

Each duplicate group speaks once (its canonical story), so forty reprints do not outvote one report.
Stories become TF-IDF vectors over clean text (boilerplate out, title weighted, names weighed double,
figures counted as terms), with
an idf that leans on general English word frequencies where the folder is too small to have its own (see
``idf``).

Grouping is agglomeration on a sparse nearest-neighbour graph, never a dense n-by-n matrix (see
``neighbours`` and ``merge``): each story is linked to its few nearest neighbours, and two events merge when a large
share of the links of the smaller goes to the other and their stories cohere. Reciprocal best pairs merge in
vectorised rounds, strongest links first, and the events whose best partner is such a pair join it in the
same round when the joined group as a whole keeps the dates, the corrections and the link share.

Dates are trusted by where they came from (see ``timing``): the similarity of two stories fades with the
days between them, fast for dates from metadata, slower for dates read from the text, and the dated stories
of an event span at most ``window_days`` (and, if set, leave no silence of more than ``gap_days``). Dated
stories form their events first, among themselves; then undated stories merge with each other and each
event of them joins one dated event at most, by a clear margin (see ``undated``). Template items of
different companies are never one event (see ``subjects``). The user's corrections win: must-link pairs
start in one event, cannot-link pairs never end in one.

The stage yields Progress after every block of the neighbour search and every round of merging (in units
of representative stories, each counted once by each step: words, neighbours, merging, labels), so a caller sees it move
and can stop it between two yields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from newsdedup.events.incremental import (
    Earlier,
    combined_labels,
    kept_terms,
    left_behind,
    saved_apart,
    saved_events,
    saved_together,
    staying,
    touched_events,
)
from newsdedup.events.joins import joined_labels, linked, renumbered_apart
from newsdedup.events.labels import date_range_label, label_events
from newsdedup.events.links import link_graph, row_dots
from newsdedup.events.merge import merge_events
from newsdedup.events.neighbours import neighbour_edges
from newsdedup.events.subjects import HEAD_CHARS, head_steps, same_figures, same_subject
from newsdedup.events.timing import GroupTimes, decay, group_times
from newsdedup.events.words import FolderCounts, WordBags, folder_counts, representative_text, vector_steps
from newsdedup.memory import give_back
from newsdedup.model import DuplicateGroup, Event, Progress, Steps, Story, finish, reported

__all__ = ["EventSettings", "FolderCounts", "cluster_events", "date_range_label", "folder_counts", "story_vectors"]

log = logging.getLogger(__name__)
HEADS_AT_ONCE = 8192  # stories whose heads are read between two progress reports
# the heads (tickers, figures) take the first 1/HEADS_SHARE of the neighbours' part of the progress (n..2n),
# the search the rest: reading them took 7 s at 200,000 stories with the count standing still at n
HEADS_SHARE = 20

@dataclass(frozen=True)
class EventSettings:
    # the neighbour graph (see event_merge): each story is linked to at most ``link_neighbours`` others,
    # those at least ``link_similarity`` alike (cosine), a link weighing its cosine ** ``link_power``
    link_neighbours: int = 5
    link_similarity: float = 0.1
    link_power: float = 2.0
    # two events merge when this share of the smaller one's link weight goes to the other; keep it below
    # 1 / link_neighbours, or two single stories could never merge
    link_share: float = 0.15
    # the share is of a story's link weight, or of what ``link_neighbours`` links of this cosine would weigh
    # if that is more: a story whose nearest neighbour is barely alike ("Comic Morris returns with sitcom"
    # and a report on pay in film, cosine 0.10) is alone, not a share of 1 of another event
    link_floor: float = 0.15
    # and when the mean cosine over all pairs of their stories reaches this (the guard against chains)
    mean_similarity: float = 0.06
    # the dated stories of one event lie within this many days: six weeks hold a happening and its
    # follow-ups (the charges, the funeral, the inquiry) and still keep apart two happenings of one kind
    window_days: int = 45
    gap_days: int | None = None  # if set: and leave no silence of more than this many days between them
    # within the window, the similarity of two stories halves with every this many days between them
    # beyond a day's slack when both dates come from metadata, beyond three days when read from text
    # (see ``timing``)
    precise_half_life: float = 3.0
    loose_half_life: float = 14.0
    # an event of undated stories joins the dated event it shares most links with when it shares at least
    # this many times as much with it as with the next, and its stories are at least this share as alike
    # to that event's as to each other (see ``undated``)
    undated_margin: float = 2.0
    undated_cohesion: float = 0.75
    # the title counts as this many copies of itself: the headline is the writer's own line on what happened
    title_weight: int = 3
    name_weight: float = 2.0  # a name (see _named: people, places, organisations) counts this many times
    label_terms: int = 3
    language: str = "en"  # of the background word frequencies


def story_vectors(docs: list[str], settings: EventSettings = EventSettings()):
    """L2-normalised TF-IDF rows (sublinear tf, blended idf) and the vocabulary, or (None, None)."""
    return finish(vector_steps(docs, settings))


def cluster_events(stories: list[Story], texts: Sequence[str], groups: list[DuplicateGroup],
                   settings: EventSettings = EventSettings(),
                   must_link: Sequence[tuple[str, str]] = (), cannot_link: Sequence[tuple[str, str]] = (),
                   folder: FolderCounts | None = None, earlier: Earlier | None = None,
                   words: WordBags | None = None, workers: int | None = 1) -> Steps[list[Event]]:
    """A stage: the events (every story in exactly one). ``folder``: word counts of a larger whole these
    stories are a block of (see ``vector_steps``). With ``earlier`` (a rescan's last events), only the
    events its changes touched are grouped and labelled again (see ``incremental``). ``words``: the bags
    of words counted before (a workspace's), and where the new ones are kept (see ``words``). ``workers``:
    processes that read the events' texts for their labels (see ``label_events``)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    reps = [index[g.canonical] for g in groups]
    n = len(reps)
    total = 4 * n
    yield Progress("events", 0, total)
    if not reps:
        return []
    docs = representative_texts(stories, texts, reps, settings)
    matrix, terms = yield from reported("events", vector_steps(docs, settings, folder=folder, known=words),
                                        lambda counted: counted, total)
    give_back()  # the words' counting arrays, freed: their memory goes back before the search's is taken
    group_of = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    pairs = [(group_of[a], group_of[b]) for a, b in must_link if a in group_of and b in group_of]
    start = linked(len(groups), pairs)
    apart = np.array([(group_of[a], group_of[b]) for a, b in cannot_link
                      if a in group_of and b in group_of], dtype=np.int64).reshape(-1, 2)
    times = group_times(stories, groups, index)
    labels = start
    yield Progress("events", n, total)
    if matrix is not None:
        heads = ([stories[i].title + "\n" + texts[i][:HEAD_CHARS] for i in reps[lo:lo + HEADS_AT_ONCE]]
                 for lo in range(0, n, HEADS_AT_ONCE))  # seconds at 100,000 stories: a report between chunks
        subjects, figures = yield from reported("events", head_steps(heads),
                                                  lambda heads_read: n + heads_read // HEADS_SHARE, total)
        if earlier is None:
            labels = yield from _grouped(matrix, times, subjects, figures, start, apart, settings, total)
        else:
            labels = yield from _regrouped(matrix, times, subjects, figures, start, apart, settings, total, groups,
                                           earlier)
    known = kept_terms(earlier, stories) if earlier is not None else None
    labelling = label_events(stories, groups, labels, matrix, terms, _Made(len(reps), lambda k: texts[reps[k]]), settings.label_terms,
                             known, workers)
    events = yield from reported("events", labelling, lambda groups_done: 3 * n + groups_done, total)
    yield Progress("events", total, total)
    return events


def _searched(n: int, done: int, rows: int) -> int:
    """The events' progress when the neighbour search has done ``done`` of its ``rows`` rows (after the heads)."""
    start = n + n // HEADS_SHARE
    return start + done * (2 * n - start) // max(rows, 1)


def _grouped(matrix, times: GroupTimes, subjects, figures, start, apart, settings: EventSettings, total: int,
             sub: np.ndarray | None = None):
    """Each representative's event number: first the dated stories among themselves (neighbours found
    among them alone, similarity fading with the days between them), then the undated ones with each other
    and into the dated events (see ``undated``). One neighbour search gives both lists of neighbours.
    With ``sub`` (row numbers), only those rows are grouped (a rescan, see ``incremental``): they look for
    their neighbours among all rows, and a link to a row outside still counts in their link weight.
    Reports progress from n to 3n of ``total``."""
    n = matrix.shape[0]
    kept = np.arange(n) if sub is None else np.asarray(sub)
    is_dated = ~np.isnan(times.lo)
    search = neighbour_edges(matrix, settings.link_neighbours,
                             lambda i, j: decay(times, i, j, settings) * same_subject(subjects, i, j)
                             * same_figures(figures, i, j), is_dated, None if sub is None else kept)
    edges, dated_edges = yield from reported("events", search, lambda rows: _searched(n, rows, len(kept)), total)
    give_back()  # the search's candidates, freed, before the merges take theirs
    dated_all = np.flatnonzero(is_dated)
    dated_edges = (dated_all[dated_edges[0]], dated_all[dated_edges[1]], dated_edges[2])
    whole = matrix
    if sub is not None:
        matrix, subjects = matrix[kept], subjects[kept]
        times = GroupTimes(times.lo[kept], times.hi[kept], times.precise[kept])
        start, apart = np.unique(start[kept], return_inverse=True)[1], renumbered_apart(apart, kept, n)
    dated = np.flatnonzero(~np.isnan(times.lo))
    labels = start
    if len(dated) > 1:
        own = GroupTimes(times.lo[dated], times.hi[dated], times.precise[dated])
        keep = np.isin(apart, dated).all(axis=1)
        position = np.full(len(kept), -1)
        position[dated] = np.arange(len(dated))
        inside, extra = _inside(dated_edges, kept[dated], whole, settings)
        graph = yield from _graph(inside, len(dated), settings, matrix[dated], subjects[dated], extra,
                                  lambda _: _merged_share(n, 0)(0), total)
        merging = merge_events(matrix[dated], graph, np.unique(start[dated], return_inverse=True)[1], own.lo, own.hi,
                               position[apart[keep]], settings)
        first = yield from reported("events", merging, _merged_share(n, 0), total)
        labels = joined_labels(start, dated, first)
    inside, extra = _inside(edges, kept, whole, settings)
    graph = yield from _graph(inside, len(kept), settings, matrix, subjects, extra, lambda _: _merged_share(n, 1)(0),
                              total)
    for step, undated in ((1, "apart"), (2, "join")):
        merging = merge_events(matrix, graph, labels, times.lo, times.hi, apart, settings, undated)
        labels = yield from reported("events", merging, _merged_share(n, step), total)
    return labels


def _regrouped(matrix, times: GroupTimes, subjects, figures, start, apart, settings: EventSettings, total: int,
               groups: list[DuplicateGroup], earlier: Earlier):
    """``_grouped`` for a rescan: the new and changed stories look for their neighbours, and the saved
    events those touch are grouped again; the other events stand (see ``incremental``)."""
    n = matrix.shape[0]
    saved, changed, shaken = saved_events(groups, earlier)

    def near(rows: np.ndarray):
        search = neighbour_edges(matrix, settings.link_neighbours,
                                 lambda i, j: decay(times, i, j, settings) * same_subject(subjects, i, j)
                                 * same_figures(figures, i, j), rows=rows)
        return (yield from reported("events", search, lambda done: _searched(n, done, len(rows)), total))

    edges = yield from near(np.flatnonzero(changed))
    stay = staying(saved, changed, edges, settings)
    shaken |= left_behind(saved, changed, stay)
    if shaken.any():  # events that lost a story are placed again one by one; their stories look for neighbours
        more = yield from near(np.flatnonzero(shaken))
        edges = tuple(np.r_[x, y] for x, y in zip(edges, more))
        saved, changed = np.where(shaken, -1, saved), changed | shaken
    saved = np.where(changed & ~stay, -1, saved)
    touched = touched_events(groups, earlier, saved, changed, edges)
    again = changed.copy()
    again[~changed] = touched[saved[~changed]]
    again |= np.isin(start, start[again])  # must-linked stories are grouped together
    sub = np.flatnonzero(again)
    log.info("events: %d of %d duplicate groups grouped again (%d new or changed)", len(sub), n, changed.sum())
    if len(sub) == 0:
        return combined_labels(saved, again, np.empty(0, np.int64))
    apart = np.r_[apart, saved_apart(saved, again & (~changed | stay))]
    together = saved_together(start, saved, changed, stay)
    new = yield from _grouped(matrix, times, subjects, figures, together, apart, settings, total, sub)
    return combined_labels(saved, again, new)




def _graph(edges, n: int, settings: EventSettings, matrix, subjects, extra, done_of, total: int):
    """``link_graph``, its links' plain cosines taken a chunk at a time (seconds at 100,000 stories)."""
    plain = yield from reported("events", row_dots(matrix, edges[0], edges[1], 0.0), done_of, total)
    return link_graph(edges, n, settings, matrix, subjects, extra, plain)


def _inside(edges, rows: np.ndarray, whole, settings: EventSettings):
    """The links between ``rows`` (renumbered 0..len-1), and each row's link weight to rows outside them
    (cosine ** link_power of those at least link_similarity alike, as ``link_graph`` counts a degree)."""
    a, b, v = edges
    position = np.full(whole.shape[0], -1)
    position[rows] = np.arange(len(rows))
    pa, pb = position[a], position[b]
    both = (pa >= 0) & (pb >= 0)
    extra = np.zeros(len(rows))
    one = (pa >= 0) != (pb >= 0)
    if one.any():
        plain = np.asarray(whole[a[one]].multiply(whole[b[one]]).sum(axis=1)).ravel()
        ok = plain >= settings.link_similarity
        extra += np.bincount(np.where(pa[one] >= 0, pa[one], pb[one])[ok], weights=plain[ok].astype(np.float64)
                             ** settings.link_power, minlength=len(rows))
    return (pa[both], pb[both], v[both]), extra


def _merged_share(n: int, step: int) -> Callable[[float], int]:
    """Progress of merging round ``step`` (of three) at ``share`` of its way: from 2n to 3n."""
    return lambda share: 2 * n + int((step + share) * n / 3)




def representative_texts(stories, texts, reps: list[int], settings: EventSettings) -> Sequence[str]:
    """What is counted of each representative story (see ``words.representative_text``), made when read:
    the words are counted a chunk at a time, so all of them are never held at once (a quarter of a
    gigabyte and seconds without a report at 200,000 stories)."""
    return _Made(len(reps), lambda k: representative_text(stories[reps[k]].title, texts[reps[k]],
                                                        settings.title_weight))


class _Made(Sequence[str]):
    """``item(k)`` for k in 0..n-1, each made when asked (the words are counted, and the labels read, a few
    stories at a time: all the texts at once took seconds and a quarter of a gigabyte at 200,000 stories)."""

    def __init__(self, n: int, item: Callable[[int], str]) -> None:
        self.n, self.item = n, item

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self.item(i) for i in range(*at.indices(self.n))]
        return self.item(at)
