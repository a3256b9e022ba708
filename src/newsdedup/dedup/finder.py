"""Where ``find_relations`` gets its candidates and counts: the one seam between the duplicates stage's
logic and where the stories' shingle sets live.

``LocalFinder`` holds them in memory and calls the functions of ``candidates`` and ``shared``; the cluster
scan (``newsdedup.cluster.finder``) answers the same questions with the sets spread over its workers. The
stage's decisions (stand-ins, groups, canonical members, grades) stay in ``relations`` for both, so the two
scans cannot drift apart when those decisions change.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from newsdedup.dedup.candidates import lsh_pairs, sample_pairs
from newsdedup.dedup.shared import identical_sets, phrase_frequency, shared_counts
from newsdedup.signatures import ShingleSets


class PairFinder(Protocol):
    sizes: np.ndarray  # shingles per story

    def identical(self, usable: np.ndarray) -> np.ndarray:
        """``shared.identical_sets``: each story's stand-in."""

    def near(self, usable: np.ndarray, bands: list[tuple[int, int]], max_run: int | None) -> np.ndarray:
        """``candidates.lsh_pairs``: pairs equal on an LSH band."""

    def frequency(self, counted: np.ndarray) -> np.ndarray:
        """``shared.phrase_frequency`` over the ``counted`` stories."""

    def sampled(self, heads: np.ndarray, sample: int, containment: float, miss: float) -> np.ndarray:
        """``candidates.sample_pairs(...).pairs``: candidates for partial reuse."""

    def counts(self, pairs: np.ndarray, common: np.ndarray | None = None,
               stock_stories: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """``shared.shared_counts``: shared runs of each pair, and how much of them is specific."""


class LocalFinder:
    """The shingle sets and signatures in this process."""

    def __init__(self, sets: ShingleSets, sigs: np.ndarray) -> None:
        self.sets, self.sigs, self.sizes = sets, sigs, sets.sizes()

    def identical(self, usable: np.ndarray) -> np.ndarray:
        return identical_sets(self.sets, usable)

    def near(self, usable: np.ndarray, bands: list[tuple[int, int]], max_run: int | None) -> np.ndarray:
        return lsh_pairs(self.sigs, usable, bands, max_run)

    def frequency(self, counted: np.ndarray) -> np.ndarray:
        return phrase_frequency(self.sets, counted)

    def sampled(self, heads: np.ndarray, sample: int, containment: float, miss: float) -> np.ndarray:
        return sample_pairs(self.sets, heads, sample, containment, miss).pairs

    def counts(self, pairs: np.ndarray, common: np.ndarray | None = None,
               stock_stories: int = 10) -> tuple[np.ndarray, np.ndarray]:
        return shared_counts(self.sets, pairs, common, stock_stories)
