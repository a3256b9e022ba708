"""Which stories start or end in one event, as component labels: the user's must-links, what the dated round
joined, and the cannot-linked pairs renumbered for a subset of stories."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def renumbered_apart(apart: np.ndarray, kept: np.ndarray, n: int) -> np.ndarray:
    """The cannot-linked pairs among the ``kept`` rows, in their numbering."""
    position = np.full(n, -1)
    position[kept] = np.arange(len(kept))
    inside = (position[apart] >= 0).all(axis=1)
    return position[apart[inside]].reshape(-1, 2)


def joined_labels(start: np.ndarray, dated: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Labels 0..m-1 joining what ``start`` joins (the must-links) and what the dated round joined."""
    n = len(start)
    rows = np.r_[np.arange(n), dated]
    cols = np.r_[n + start, n + int(start.max()) + 1 + first]
    size = n + int(start.max()) + 2 + int(first.max())
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    return np.unique(sp.csgraph.connected_components(graph, directed=False)[1][:n], return_inverse=True)[1]


def linked(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Component labels 0..m-1 of n items joined by ``pairs`` (the must-links)."""
    if not pairs:
        return np.arange(n)
    a, b = np.array(pairs).T
    graph = sp.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    return sp.csgraph.connected_components(graph, directed=False)[1]
