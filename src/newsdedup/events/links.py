"""The graph the merge works on: each story's links to its nearest neighbours, weighed.

Each story is linked to those of its neighbours (``neighbours``) at least ``link_similarity`` alike, each
link weighing its similarity ** ``link_power``; a story's link weight (its degree) counts its links at
their plain cosines (see ``link_graph``). ``merge`` takes events together over it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp


class LinkGraph(NamedTuple):
    a: np.ndarray  # the links, i < j
    b: np.ndarray
    links: sp.csr_matrix  # symmetric, story by story, weight cosine ** link_power
    degree: np.ndarray  # each story's summed link weight
    subjects: np.ndarray  # each story's ticker number, NaN for none (see ``subjects``)


def link_graph(edges, n: int, settings, matrix=None, subjects=None, outside=None, plain=None) -> LinkGraph:
    """The links of at least ``link_similarity``, each weighing its similarity ** ``link_power``.

    With ``matrix`` (the similarities of ``edges`` having faded with time, see ``timing``), a story's link
    weight (its degree) counts each link at its plain cosine, and the link itself at its faded one: so a
    story whose nearest neighbours are all weeks away sends a small share of its weight to any of them,
    and stays on its own, rather than sending all of it to the least distant. ``outside``: each story's
    link weight to stories not in this graph (a rescan groups some stories again, see ``incremental``).
    ``plain``: those cosines, when the caller has them (``row_dots`` of ``matrix``)."""
    a, b, v = edges
    if plain is None:
        plain = v if matrix is None else np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    keep = plain >= settings.link_similarity
    a, b = a[keep], b[keep]
    w = v[keep].astype(np.float64) ** settings.link_power
    links = sp.csr_matrix((np.r_[w, w], (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    p = plain[keep].astype(np.float64) ** settings.link_power
    degree = np.bincount(np.r_[a, b], weights=np.r_[p, p], minlength=n)
    if outside is not None:
        degree = degree + outside
    # a story's links weigh at least as much as ``link_neighbours`` links of ``link_floor`` would: a story
    # whose only neighbour is barely alike sends it all of its little weight, and that is no evidence
    degree = np.maximum(degree, settings.link_neighbours * settings.link_floor ** settings.link_power)
    named = np.full(n, np.nan) if subjects is None else np.where(subjects >= 0, subjects, np.nan).astype(float)
    return LinkGraph(a, b, links, degree, named)


def row_dots(sums, x, y, share: float, chunk: int = 32768):
    """Dot products of rows x and y of ``sums`` (summed story vectors of events, or the stories' own:
    ``link_graph``'s plain cosines), yielding ``share`` after each chunk."""
    out = np.empty(len(x), np.float64)
    for s in range(0, len(x), chunk):
        e = min(s + chunk, len(x))
        out[s:e] = np.asarray(sums[x[s:e]].multiply(sums[y[s:e]]).sum(axis=1)).ravel()
        yield share
    return out
