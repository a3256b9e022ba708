"""The events stage as the client runs it on the cluster: which groups go to which task, and how the
tasks' answers become the events (see ``events`` and ``event_blocks``). The texts go from their
partitions straight to the tasks; the client handles story and group numbers, links and events."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import scipy.sparse as sp

from newsdedup.cluster import candidates as cand
from newsdedup.cluster import event_blocks, events
from newsdedup.cluster.nearest import nearest, undirected
from newsdedup.events.neighbours import CANDIDATES_PER_NEIGHBOUR
from newsdedup.events.timing import group_times
from newsdedup.events.undated import folder_clear
from newsdedup.model import DuplicateGroup, Event, Progress, Story
from newsdedup.settings import Settings


def events_on_workers(client, parts: list, offsets: np.ndarray, stories: list[Story], groups: list[DuplicateGroup],
                      settings: Settings, block_groups: int, done) -> Generator[Progress, None, list[Event]]:
    """The events, made on the workers (``done``: the driver's wait for futures, which reports them)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    reps = np.sort(np.array([index[g.canonical] for g in groups], dtype=np.int64))
    at = np.searchsorted(reps, offsets)
    counts = client.map(cand.word_counts, parts, [reps[at[i]:at[i + 1]] for i in range(len(parts))],
                        settings=settings.events, pure=False)
    folder = client.submit(cand.summed, *counts, pure=False)  # stays on the workers: a future
    lo = group_times(stories, groups, index).lo
    cut = events.dated_blocks(lo, settings.events.window_days, block_groups)

    def task(fn, members: np.ndarray, **more):
        lots, inputs = _inputs(client, parts, offsets, stories, groups, index, members)
        return client.submit(fn, *lots, **inputs, settings=settings.events, folder=folder, pure=False, **more)

    if cut is None:  # one block: the local events stage on one worker, exactly
        found = [task(events.event_block, np.arange(len(groups)), core=(np.nan, np.nan))]
        yield from done("events", found)
        return events.joined(client.gather(found), groups, stories)
    undated = np.flatnonzero(np.isnan(lo))
    k = settings.events.link_neighbours
    c = min(CANDIDATES_PER_NEIGHBOUR * k, len(groups) - 1)
    found = [task(event_blocks.dated_block, np.r_[members, undated], numbers=np.r_[members, undated], core=core,
                  c=c) for members, core in cut]
    # the undated stories' search among themselves, cut by columns as the dated blocks are: no task
    # compares every undated story with every other
    cuts = np.array_split(np.arange(len(undated)), -(-len(undated) // block_groups)) if len(undated) else []
    asks = [task(event_blocks.undated_asks, undated, numbers=undated, c=c, columns=columns) for columns in cuts]
    yield from done("events", found + asks)
    blocks = client.gather(found)
    if not len(undated):
        return events.joined([b.events for b in blocks], groups, stories)
    rows, start, links, outside = undated_rows(blocks, client.gather(asks), groups, lo, c, k)
    # the whole folder's share of clear best matches among undated stories: each task holds part of it
    clear = folder_clear(links[0], links[1], links[2], np.isnan(lo[rows]), settings.events)
    final = [task(event_blocks.undated_events, rows[part], start=start[part], links=_within(links, part, len(rows)),
                  outside=outside[part], clear=clear) for part in linked_parts(start, links, len(parts))]
    yield from done("events", final)
    return events.joined([[e for lot in client.gather(final) for e in lot], *[b.events for b in blocks]], groups,
                         stories)


def undated_rows(blocks: list, asks: list, groups: list[DuplicateGroup], lo: np.ndarray, c: int, k: int):
    """What the undated round works on: the undated groups and the dated events they link to (rows, as
    scan-wide group numbers), each row's dated event (or a number of its own), the links among the rows
    (i < j, row numbers) and each row's link weight to the dated groups left out."""
    n = len(groups)
    group_of = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    event_of = np.full(n, -1)
    made = 0
    for b in blocks:  # a group two blocks' events claim stays with the earlier block's
        for e in b.events:
            mine = [g for g in dict.fromkeys(group_of[s] for s in e.story_ids) if event_of[g] < 0]
            if mine:
                event_of[mine] = made
                made += 1
    free = np.flatnonzero((event_of < 0) & ~np.isnan(lo))  # no block kept its event: one of its own
    event_of[free] = made + np.arange(len(free))
    uq, un, uv = nearest([*asks, *[b.asks for b in blocks]], c, k)
    a, b_, v = undirected(np.r_[uq, *[b.links[0] for b in blocks]], np.r_[un, *[b.links[1] for b in blocks]],
                          np.r_[uv, *[b.links[2] for b in blocks]].astype(np.float32), n)
    ends = np.r_[a, b_]
    linked = np.unique(event_of[ends[~np.isnan(lo[ends])]])
    rows = np.flatnonzero(np.isin(event_of, linked) | np.isnan(lo))
    position = np.full(n, -1)
    position[rows] = np.arange(len(rows))
    start = event_of[rows].copy()
    alone = start < 0
    start[alone] = event_of.max() + 1 + np.arange(int(alone.sum()))
    outside = np.zeros(n)
    for b in blocks[::-1]:  # the earliest block's count stands, as its event does
        outside[b.outside[0]] = b.outside[1]
    return rows, start, (position[a], position[b_], v), outside[rows]


def linked_parts(start: np.ndarray, links: tuple, buckets: int) -> list[np.ndarray]:
    """The rows of the undated round in up to ``buckets`` parts (each a list of row numbers, in order) that
    no link and no dated event crosses: the local rounds merge only along links, so each part's events
    are those of the whole (components dealt to parts by their number)."""
    n = len(start)
    a, b, _ = links
    events_at = n + np.unique(start, return_inverse=True)[1]  # a node per dated event (or lone row)
    graph = sp.coo_matrix((np.ones(len(a) + n), (np.r_[a, np.arange(n)], np.r_[b, events_at])),
                          shape=(2 * n, 2 * n))
    label = sp.csgraph.connected_components(graph, directed=False)[1][:n]
    bucket = label % max(1, buckets)
    return [np.flatnonzero(bucket == j) for j in np.unique(bucket).tolist()]


def _within(links: tuple, part: np.ndarray, n: int) -> tuple:
    """The links among the rows ``part``, renumbered in its order (i < j stays so: ``part`` is sorted)."""
    a, b, v = links
    position = np.full(n, -1)
    position[part] = np.arange(len(part))
    keep = (position[a] >= 0) & (position[b] >= 0)
    return position[a[keep]], position[b[keep]], v[keep]


def _inputs(client, parts: list, offsets: np.ndarray, stories: list[Story], groups: list[DuplicateGroup],
            index: dict, members: np.ndarray):
    """The texts (futures, one per partition) and arguments of a task on the groups ``members``: their
    stories in scan order, the groups, and where each canonical story's text goes."""
    block = [groups[g] for g in members.tolist()]
    ids = sorted(index[s] for g in block for s in g.members)
    place = {k: p for p, k in enumerate(ids)}
    reps = np.sort(np.array([index[g.canonical] for g in block], dtype=np.int64))
    at = np.searchsorted(reps, offsets)
    lots = [client.submit(cand.representative_texts, parts[i], reps[at[i]:at[i + 1]], pure=False)
            for i in range(len(parts)) if at[i + 1] > at[i]]
    return lots, {"stories": [stories[k] for k in ids], "groups": block,
                  "reps": np.array([place[k] for k in reps.tolist()], dtype=np.int64)}
