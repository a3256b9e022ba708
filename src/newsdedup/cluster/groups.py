"""Duplicate groups across partitions: the copy links' connected components on the client (two story
numbers per copy relation: the relations are part of the result, so the client holds them anyway), then
the local ``duplicate_groups`` per bucket of components, on the shingle sets of their members only.

A component is never cut, so each bucket's groups are the local scan's groups (members, canonical member,
scores); they are numbered afterwards in the order of their first story, as ``duplicate_groups`` numbers
them. A distributed label propagation would move the same edges over the network once per round (about
log(diameter) rounds); it pays only when the edges outgrow the client's memory (see the README).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsdedup.cluster.partitions import Part
from newsdedup.cluster.shuffle import split_rows
from newsdedup.dedup.relations import COPIES, DuplicateSettings, duplicate_groups
from newsdedup.model import DuplicateGroup, Relation, Story
from newsdedup.signatures import ShingleSets


def components(n: int, relations: list[Relation], index: dict[str, int]) -> np.ndarray:
    """Per story, its component of the copy relations."""
    copies = np.array([(index[r.story_a], index[r.story_b]) for r in relations if r.kind in COPIES],
                      dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(copies)), (copies[:, 0], copies[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def set_pieces(part: Part, bucket: np.ndarray, n: int) -> list:
    """The shingle sets of the part's stories that have copies, cut by their component's bucket
    (``bucket``: per story of the part, -1 for a story with no copy)."""
    local = np.flatnonzero(bucket >= 0)
    return [part.sets.take(rows) for (rows,) in split_rows(bucket[local], n, local)]


def group_task(*pieces: ShingleSets, stories: list[Story], relations: list[Relation],
               settings: DuplicateSettings) -> list[DuplicateGroup]:
    """The groups of one bucket by ``duplicate_groups`` (``stories``: the bucket's, in story order; the
    pieces in part order, so their sets line up with them)."""
    values = np.concatenate([p.values for p in pieces])
    sizes = np.concatenate([p.sizes() for p in pieces])
    sets = ShingleSets(values, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))
    return duplicate_groups(stories, sets, relations, settings)


def alone(stories: list[Story], settings: DuplicateSettings) -> list[DuplicateGroup]:
    """Stories with no copy: a group of one each, as ``duplicate_groups`` makes them (their sets unread)."""
    no_sets = ShingleSets(np.zeros(0, np.uint64), np.zeros(len(stories) + 1, np.int64))
    return duplicate_groups(stories, no_sets, [], settings)


def numbered(groups: list[DuplicateGroup], index: dict[str, int]) -> list[DuplicateGroup]:
    """Groups numbered in the order of their first story."""
    first = [min(index[s] for s in g.members) for g in groups]
    order = np.argsort(first, kind="stable")
    return [replace(groups[k], group_id=gid) for gid, k in enumerate(order.tolist())]
