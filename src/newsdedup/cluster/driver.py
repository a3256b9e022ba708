"""The scan on a Dask cluster: the local scan's stages, partitioned (see the package's docstring).

``run_cluster_scan`` is a generator like ``pipeline.run_scan``: it yields Progress and returns the
ScanResult. The client lists the files, deals them to partitions of consecutive files (so story numbers
run in the local scan's order), and then only sends small things (names of files, outlet sizes, story
numbers, pairs of story numbers) and gathers the result: stories without their text, relations, groups,
events. It runs the duplicates stage's decisions over pairs and counts the workers find (``finder``) and
cuts the events stage into blocks of time (``events``); no text comes to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Generator
from dataclasses import asdict
from pathlib import Path

import numpy as np

from newsdedup.cluster import candidates as cand
from newsdedup.cluster import events, groups, outlets, partitions
from newsdedup.cluster.event_steps import events_on_workers
from newsdedup.cluster.finder import ClusterFinder
from newsdedup.cluster.reuse import worker_rules
from newsdedup.cluster.shuffle import column, pieces
from newsdedup.dedup.relations import find_relations_with
from newsdedup.dedup.shared import frequency_bytes
from newsdedup.ingest.walk import named_files
from newsdedup.model import Progress, ScanResult
from newsdedup.settings import Settings
from newsdedup.stories.build import infer_years

MIN_PART_BYTES = 1 << 18  # a quarter of a megabyte of articles: a second or so of work


def partition_files(found: list, workers: int, part_files: int | None = None) -> list[list]:
    """Consecutive files in partitions of about equal bytes (a .jsonl file may hold thousands of articles,
    a .txt file one), about four per worker so that a lost worker's share spreads over the others;
    ``part_files``: a fixed number of files per partition instead."""
    if part_files:
        return [found[i:i + part_files] for i in range(0, len(found), part_files)]
    sizes = []
    for _, path, _, _ in found:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    cum = np.cumsum(sizes)
    target = max(MIN_PART_BYTES, int(cum[-1]) // (4 * max(workers, 1)) + 1)
    cuts = np.unique(np.searchsorted(cum, np.arange(target, int(cum[-1]), target), side="right"))
    bounds = [0, *[int(c) for c in cuts if 0 < c < len(found)], len(found)]
    return [found[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _done(stage: str, futures: list) -> Generator[Progress, None, None]:
    from distributed import as_completed

    yield Progress(stage, 0, len(futures))
    for k, _ in enumerate(as_completed(futures), 1):
        yield Progress(stage, k, len(futures))


def run_cluster_scan(paths: list[Path], settings: Settings, client, send_texts: bool = False,
                     keep_texts: bool = False, part_files: int | None = None,
                     event_block: int = events.BLOCK_GROUPS) -> Generator[Progress, None, ScanResult]:
    """The scan of ``paths`` on ``client``'s cluster. ``send_texts``: the client reads the files and sends
    them (workers that do not see the client's files); ``keep_texts``: the result's documents keep their
    text (for the JSON export), else their text is left on the workers; ``event_block``: dated duplicate
    groups per block of the events stage."""
    today = settings.today or dt.date.today()
    found = list(named_files([Path(p) for p in paths], settings.follow_links))
    if not found:
        return ScanResult(settings=asdict(settings))
    chunks = partition_files(found, len(client.scheduler_info()["workers"]), part_files)
    parts = yield from _read(client, chunks, settings.max_file_bytes, send_texts)
    parts = yield from _outlet_boilerplate(client, parts, settings)
    parts = client.map(partitions.describe_part, parts, today=today, pure=False)
    counts = client.gather(client.map(partitions.story_count, parts, pure=False))
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    parts = client.map(cand.sign_part, parts, offsets[:-1].tolist(), settings=settings.duplicates, pure=False)
    yield from _done("signatures", parts)
    listed = client.gather(client.map(partitions.listing, parts, keep_texts=keep_texts, pure=False))
    documents, files, problems, stories = ([x for part in listed for x in part[k]] for k in range(4))
    # dates settled against the whole folder's dates, by the local function, on the stories the client holds
    # anyway (no later step on the workers reads a date)
    waiting = client.gather(client.map(partitions.partials_of, parts, pure=False))
    partials = [(int(offsets[i]) + k, p) for i, lot in enumerate(waiting) for k, p in lot]
    stories = infer_years(stories, partials, today)
    relations, common, found = yield from _relations(client, parts, offsets, stories, settings)
    made = yield from events_on_workers(client, parts, offsets, stories, found, settings, event_block, _done)
    return ScanResult(documents=tuple(documents), stories=tuple(stories), relations=tuple(relations),
                      groups=tuple(found), events=tuple(made), problems=tuple(problems), files=tuple(files),
                      settings=asdict(settings), common_phrases=frequency_bytes(common))


def _read(client, chunks: list, max_bytes: int, send_texts: bool):
    if not send_texts:
        named = [[(str(r), str(r.absolute()), str(p.absolute()), n, why) for r, p, n, why in chunk]
                 for chunk in chunks]
        parts = client.map(partitions.read_part, range(len(chunks)), named, max_bytes=max_bytes, pure=False)
    else:  # one partition's bytes at a time on the client: scattered to a worker, then let go
        parts = []
        for i, chunk in enumerate(chunks):
            # one key for the partition (a list given to scatter would become a key per file)
            sent = client.scatter([partitions.sent_items(chunk, max_bytes)], hash=False)[0]
            parts.append(client.submit(partitions.read_sent_part, i, sent, max_bytes, pure=False))
            yield Progress("send", i + 1, len(chunks))
    yield from _done("read", parts)
    return parts


def _outlet_boilerplate(client, parts: list, settings: Settings):
    """Stories shuffled by outlet, ``outlet_boilerplate`` per bucket of outlets, spans sent back."""
    per_part = client.gather(client.map(partitions.outlet_sizes, parts, pure=False))
    sizes: Counter = sum(per_part, Counter())
    n = max(1, min(len(parts), len(sizes)))
    task_of = outlets.deal_outlets(sizes, n)
    # each part is told the tasks of its own outlets, in its task's arguments: a task can be made again from
    # its arguments when a worker is lost, data scattered to the workers cannot
    mine = [{o: task_of[o] for o in counts} for counts in per_part]
    rows = pieces(client, client.map(outlets.split_by_outlet, parts, mine, n=n, pure=False), n)
    found = [client.submit(outlets.outlet_task, *column(rows, j), settings=settings.boilerplate_across,
                           parts=len(parts), pure=False) for j in range(n)]
    yield from _done("boilerplate across outlet", found)
    back = pieces(client, found, len(parts))
    return [client.submit(outlets.apply_boilerplate, part, *column(back, i), pure=False)
            for i, part in enumerate(parts)]


def _relations(client, parts: list, offsets: np.ndarray, stories: list, settings: Settings):
    """The local duplicates stage (``find_relations_with``) on the client, asking the workers for its
    candidates and counts (``ClusterFinder``) and to run its reuse rules (``reuse``); then the duplicate
    groups per bucket of components."""
    sizes = np.concatenate(client.gather(client.map(cand.set_sizes, parts, pure=False)))
    finder = ClusterFinder(client, parts, offsets, sizes)
    found = yield from find_relations_with(stories, finder, settings.duplicates,
                                           rules=worker_rules(client, parts, offsets))
    made = yield from _groups(client, parts, offsets, stories, found.relations, settings)
    return found.relations, found.common, made


def _groups(client, parts: list, offsets: np.ndarray, stories: list, relations: list, settings: Settings):
    """Components of the copy relations on the client; each bucket of them by ``duplicate_groups``."""
    n = len(stories)
    index = {s.story_id: i for i, s in enumerate(stories)}
    label = groups.components(n, relations, index)
    in_copies = np.bincount(label)[label] > 1
    buckets = len(parts)
    bucket = np.where(in_copies, label % buckets, -1)
    cuts = client.map(groups.set_pieces, parts, [bucket[a:b] for a, b in zip(offsets[:-1], offsets[1:])],
                      n=buckets, pure=False)
    rows = pieces(client, cuts, buckets)
    copies: dict[int, list] = {}
    for r in relations:
        if r.kind in groups.COPIES:
            copies.setdefault(int(bucket[index[r.story_a]]), []).append(r)
    order = np.argsort(bucket, kind="stable")  # stable: each bucket's members in story order
    bounds = np.searchsorted(bucket[order], np.arange(buckets + 1))
    found = [client.submit(groups.group_task, *column(rows, j), stories=[stories[k] for k in members],
                           relations=copies.get(j, []), settings=settings.duplicates, pure=False)
             for j, members in enumerate(order[bounds[k]:bounds[k + 1]] for k in range(buckets)) if len(members)]
    yield from _done("duplicate groups", found)
    lone = groups.alone([stories[k] for k in np.flatnonzero(~in_copies).tolist()], settings.duplicates)
    return groups.numbered([g for lot in client.gather(found) for g in lot] + lone, index)
