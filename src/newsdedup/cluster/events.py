"""Events on the workers, by overlapping blocks of time.

The dated duplicate groups, in the order of their first day, are cut into blocks of about ``block_groups``
(their cores). A block's task also holds the groups up to twice ``window_days`` before and after its core:
an event's dated stories lie within ``window_days``, so every event that starts in the core is whole in
the block, and so are its stories' nearest dated neighbours, bar a few far ones whose links have faded
with the days. A block keeps the dated events that start in its core; a group two kept events claim stays
with the earlier block's. The undated stories join them after that, as in the local scan (see
``event_blocks``). Words are weighed by the whole folder's document frequencies (``FolderCounts``, counted
per partition and summed on a worker), so a story's vector in a block is its vector in the local scan.

With one block (fewer dated groups than ``block_groups``) the local ``cluster_events`` runs on one worker
(``event_block``) and the events are exactly the local scan's. With more, they can differ where a dated
story's candidates or its event's merge reach further than the block's margin (see the README).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

from newsdedup.events.cluster import EventSettings, FolderCounts, cluster_events
from newsdedup.events.labels import date_range_label
from newsdedup.model import DuplicateGroup, Event, Story, finish

BLOCK_GROUPS = 20000  # representatives per block: their vectors and neighbour search fit a worker's memory
MARGIN_WINDOWS = 2  # a block holds this many event windows of stories before and after its core


def dated_blocks(lo: np.ndarray, window_days: int, block_groups: int
                 ) -> list[tuple[np.ndarray, tuple[float, float]]] | None:
    """(dated group numbers in the block, its core (first day, day after the last)) per block, from each
    group's first day ``lo`` (NaN: undated); None when the dated groups are one block."""
    dated = np.flatnonzero(~np.isnan(lo))
    if len(dated) <= block_groups:
        return None
    days = np.sort(lo[dated])
    starts = days[::block_groups]
    margin = MARGIN_WINDOWS * window_days
    out = []
    for first, end in zip(starts.tolist(), [*starts[1:].tolist(), np.inf]):
        near = dated[(lo[dated] >= first - margin) & (lo[dated] < end + margin)]
        out.append((np.sort(near), (first, end)))
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
