"""Events on the workers, by overlapping blocks of time: the local ``cluster_events`` (vectors, neighbours,
merging, labels) runs per block, on the clean texts of the block's representative stories, which go from
their partitions straight to the block's task: the client never holds them. Words are weighed by the whole
folder's document frequencies (``FolderCounts``, counted per partition and summed on a worker), so a
story's vector in a block is its vector in the local scan.

The dated duplicate groups, in the order of their first day, are cut into blocks of about ``block_groups``
(their cores). A block's task also holds the groups up to twice ``window_days`` before and after its core:
an event's dated stories lie within ``window_days``, so every event that starts in the core is whole in
the block, and so are its stories' nearest dated neighbours, bar a few far ones whose links have faded
with the days. Every block also holds all the undated groups, so that one can join a dated event as in
the local scan; and the undated groups are one more block of their own, for the events of undated stories
only. A block keeps the dated events that start in its core; a group two kept events claim stays with the
earlier block's, and one that no dated event claims takes its event of the undated block.

With one block (fewer dated groups than ``block_groups``) the events are exactly the local scan's. With
more, they can differ where a dated story's neighbours or its event's merge reach further than the
block's margin, and where an undated story's neighbours among the dated stories of other blocks (which
its block does not hold) would have changed its link shares. Holding every undated group in every block
costs their search once per block: a folder of many undated stories needs a distributed neighbour search
instead (see the README).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

from newsdedup.events.cluster import EventSettings, FolderCounts, cluster_events
from newsdedup.events.labels import date_range_label
from newsdedup.events.timing import group_times
from newsdedup.model import DuplicateGroup, Event, Story, finish

BLOCK_GROUPS = 20000  # representatives per block: their vectors and neighbour search fit a worker's memory
MARGIN_WINDOWS = 2  # a block holds this many event windows of stories before and after its core


def blocks(stories: list[Story], groups: list[DuplicateGroup], window_days: int,
           block_groups: int) -> list[tuple[np.ndarray, tuple[float, float]]]:
    """(group numbers in the block, its core (first day, day after the last)) per block; a block whose
    core is (nan, nan) keeps all its events (the undated block, or the one block of a small folder)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    lo = group_times(stories, groups, index).lo
    dated = np.flatnonzero(~np.isnan(lo))
    undated = np.flatnonzero(np.isnan(lo))
    if len(dated) <= block_groups:
        return [(np.arange(len(groups)), (np.nan, np.nan))]  # the whole folder: every event kept
    days = np.sort(lo[dated])
    starts = days[::block_groups]
    cores = list(zip(starts.tolist(), [*starts[1:].tolist(), np.inf]))
    out = []
    for first, end in cores:
        margin = MARGIN_WINDOWS * window_days
        near = dated[(lo[dated] >= first - margin) & (lo[dated] < end + margin)]
        out.append((np.sort(np.r_[near, undated]), (first, end)))
    if len(undated):
        out.append((undated, (np.nan, np.nan)))
    return out


def event_block(*lots: list[str], stories: list[Story], groups: list[DuplicateGroup], reps: np.ndarray,
                settings: EventSettings, core: tuple[float, float], folder: FolderCounts | None) -> list[Event]:
    """``cluster_events`` on one block; the dated events that start in its core (an undated block keeps
    all).
    ``stories``: the block's groups' members; ``reps``: the canonical stories' places in ``stories``, in
    the order of ``lots`` (their texts, per partition)."""
    texts = [""] * len(stories)
    for k, text in zip(reps.tolist(), (t for lot in lots for t in lot)):
        texts[k] = text
    events = finish(cluster_events(stories, texts, groups, settings, folder=folder))
    first, end = core
    if np.isnan(first):
        return events
    return [e for e in events if e.start is not None and first <= e.start.toordinal() < end]


def joined(kept: list[list[Event]], groups: list[DuplicateGroup], stories: list[Story]) -> list[Event]:
    """The blocks' events as one list, as ``label_events`` numbers them: a group claimed twice stays with the
    earlier block's event, one claimed by none is an event of its own."""
    group_of = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    taken = np.zeros(len(groups), bool)
    published = {s.story_id: s.published for s in stories}
    out = []
    for lot in kept:
        for e in lot:
            gis = list(dict.fromkeys(group_of[s] for s in e.story_ids))  # in the event's order
            mine = [g for g in gis if not taken[g]]
            taken[mine] = True
            if mine:
                out.append(_with_members(e, [s for g in mine for s in groups[g].members], published))
    for g in np.flatnonzero(~taken).tolist():
        out.append(_with_members(Event(0, "", None, None, ()), list(groups[g].members), published))
    out.sort(key=lambda e: (e.start is None, e.start or dt.date.max, -len(e.story_ids), e.story_ids))
    return [replace(e, event_id=k, label=" · ".join([*e.terms, w] if (w := date_range_label(e.start, e.end))
                                                    else e.terms)) for k, e in enumerate(out)]


def _with_members(e: Event, story_ids: list[str], published: dict) -> Event:
    dated = sorted(d for s in story_ids if (d := published[s]) is not None)
    start, end = (dated[0], dated[-1]) if dated else (None, None)
    return replace(e, story_ids=tuple(story_ids), start=start, end=end)
