"""Shuffles over futures: a task that cuts its partition into ``n`` pieces (one per destination) returns
them as a list, and ``pieces`` gives each its own key, so destination j fetches only piece j of every
source. This is Dask's task-based shuffle (what ``dask.dataframe``'s ``shuffle(method="tasks")`` does in one
stage) written over futures, since our partitions hold NumPy arrays and stories, not DataFrames: P sources
x n destinations small tasks, each moving only its own piece; a piece lost with a worker is made again
from its source."""

from __future__ import annotations

import operator


def pieces(client, cuts: list, n: int) -> list[list]:
    """``out[i][j]``: the future of piece j of ``cuts[i]`` (a future of a list of n pieces)."""
    return [[client.submit(operator.getitem, c, j, pure=False) for j in range(n)] for c in cuts]


def column(rows: list[list], j: int) -> list:
    """Piece j of every source, in source order."""
    return [row[j] for row in rows]
