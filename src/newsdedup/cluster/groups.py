"""Duplicate groups across partitions: connected components of the copy relations, then each group's
canonical member and scores by the local ``duplicate_groups``, run per bucket of groups.

The components are found on the client over the gathered copy edges (two story numbers per exact or
near-duplicate relation, 16 bytes each): O(edges), and the relations are gathered anyway, since they are
part of the result. A distributed label propagation would move the same edges over the network once per
round, about log(diameter) rounds; it pays only when the edges outgrow one machine's memory (see the
README's scale section). A group's members then bring their shingle sets to one task, which runs the
local function on them, so each group is the local scan's group: same members, canonical and scores.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsdedup.cluster.partitions import Part
from newsdedup.cluster.shuffle import split_rows
from newsdedup.dedup.relations import EXACT, NEAR_DUPLICATE, DuplicateSettings, duplicate_groups
from newsdedup.model import DuplicateGroup, Relation, Story
from newsdedup.signatures import ShingleSets


def components(n: int, relations: list[Relation], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Per story: its component, and that component's group number (numbered in story order, as the local
    ``duplicate_groups`` numbers them)."""
    copies = np.array([(index[r.story_a], index[r.story_b]) for r in relations if r.kind in (EXACT, NEAR_DUPLICATE)],
                      dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(copies)), (copies[:, 0], copies[:, 1])), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    first = np.full(count, n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    group_id = np.empty(count, dtype=np.int64)
    group_id[np.argsort(first)] = np.arange(count)
    return label, group_id


def set_pieces(part: Part, bucket: np.ndarray, n: int) -> list:
    """(story numbers, shingle sets) of the part's stories in groups of copies, cut by their group's bucket
    (``bucket``: per story of the part, -1 for a story with no copy)."""
    local = np.flatnonzero(bucket >= 0)
    out = []
    for (rows,) in split_rows(bucket[local], n, local):
        sets = [part.sets.of(int(k)) for k in rows]
        sizes = np.fromiter((len(s) for s in sets), np.int64, len(sets))
        values = np.concatenate(sets) if sets else np.zeros(0, np.uint64)
        out.append((rows + part.offset, ShingleSets(values, np.concatenate(([0], np.cumsum(sizes))))))
    return out


def group_task(*pieces: tuple, stories: list[Story], relations: list[Relation],
               settings: DuplicateSettings) -> list[DuplicateGroup]:
    """The groups of one bucket by ``duplicate_groups`` (``stories``: the bucket's, in story order; the
    pieces in part order, so their sets line up with them)."""
    values = np.concatenate([p[1].values for p in pieces])
    sizes = np.concatenate([p[1].sizes() for p in pieces])
    sets = ShingleSets(values, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))
    return duplicate_groups(stories, sets, relations, settings)


def renumbered(groups: list[DuplicateGroup], index: dict[str, int], label: np.ndarray,
               group_id: np.ndarray) -> list[DuplicateGroup]:
    """A bucket's groups with their scan-wide numbers."""
    return [replace(g, group_id=int(group_id[label[index[g.canonical]]])) for g in groups]


def single(gid: int, story_id: str) -> DuplicateGroup:
    """A story with no copy: a group of one, as ``duplicate_groups`` makes it."""
    return DuplicateGroup(gid, story_id, (story_id,), (("canonical", 1.0, 1.0),))
