"""Shuffles over futures: a task that cuts its partition into ``n`` pieces (one per destination) returns
them as a list, and ``pieces`` gives each its own key, so destination j fetches only piece j of every
source. This is Dask's task-based shuffle (what ``dask.dataframe``'s ``shuffle(method="tasks")`` does in one
stage) written over futures, since our partitions hold NumPy arrays and stories, not DataFrames: P sources
x n destinations small tasks, each moving only its own piece; a piece lost with a worker is made again
from its source."""

from __future__ import annotations

import operator

import numpy as np

from newsdedup.signatures import SHINGLE_BITS


def pieces(client, cuts: list, n: int) -> list[list]:
    """``out[i][j]``: the future of piece j of ``cuts[i]`` (a future of a list of n pieces)."""
    return [[client.submit(operator.getitem, c, j, pure=False) for j in range(n)] for c in cuts]


def column(rows: list[list], j: int) -> list:
    """Piece j of every source, in source order."""
    return [row[j] for row in rows]


def split_rows(dest: np.ndarray, n: int, *arrays: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """Rows of ``arrays`` cut by their destination 0..n-1 (order kept within a destination)."""
    order = np.argsort(dest, kind="stable")
    bounds = np.searchsorted(dest[order], np.arange(n + 1))
    return [tuple(a[order[bounds[j]:bounds[j + 1]]] for a in arrays) for j in range(n)]


def owner_part(gid: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The partition holding each story number (``offsets``: first story number of each part, and the end)."""
    return np.searchsorted(offsets, gid, side="right") - 1


def value_range(values: np.ndarray, n: int) -> np.ndarray:
    """Destination 0..n-1 of shingle values by range (they are hashes, so evenly spread): buckets read in
    order give the values sorted, as the local scan's arrays of runs are."""
    return (values.astype(np.uint64) >> np.uint64(SHINGLE_BITS - 16)).astype(np.int64) * n >> 16
