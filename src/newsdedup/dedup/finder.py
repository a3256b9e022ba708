"""Where ``find_relations`` gets its candidates and counts: the one seam between the duplicates stage's
logic and where the stories' shingle sets live.

``LocalFinder`` holds them in memory and calls the functions of ``candidates`` and ``shared``; the cluster
scan (``newsdedup.cluster.finder``) answers the same questions with the sets spread over its workers. The
stage's decisions (stand-ins, groups, canonical members, grades) stay in ``relations`` for both, so the two
scans cannot drift apart when those decisions change.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Protocol

import numpy as np

from newsdedup.dedup.candidates import lsh_pair_steps, sample_pair_steps
from newsdedup.dedup.shared import identical_steps, in_slices, phrase_frequency_steps, shared_counts
from newsdedup.model import Progress, Steps, mapped
from newsdedup.signatures import ShingleSets


class PairFinder(Protocol):
    sizes: np.ndarray  # shingles per story

    def identical(self, usable: np.ndarray) -> Generator[float, None, np.ndarray]:
        """``shared.identical_steps``: each story's stand-in (steps: yields the share done)."""

    def near(self, usable: np.ndarray, bands: list[tuple[int, int]], max_run: int | None
             ) -> Generator[float, None, np.ndarray]:
        """``candidates.lsh_pairs``: pairs equal on an LSH band (steps: yields the share done)."""

    def frequency(self, counted: np.ndarray) -> Generator[float, None, np.ndarray]:
        """``shared.phrase_frequency`` over the ``counted`` stories (steps: yields the share done)."""

    def sampled(self, heads: np.ndarray, sample: int, containment: float, miss: float
                ) -> Generator[float, None, np.ndarray]:
        """``candidates.sample_pair_steps(...).pairs``: candidates for partial reuse (steps: yields the share done)."""

    def counts(self, pairs: np.ndarray, common: np.ndarray | None = None,
               stock_stories: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """``shared.shared_counts``: shared runs of each pair, and how much of them is specific."""


class LocalFinder:
    """The shingle sets and signatures in this process."""

    def __init__(self, sets: ShingleSets, sigs: np.ndarray) -> None:
        self.sets, self.sigs, self.sizes = sets, sigs, sets.sizes()

    def identical(self, usable: np.ndarray) -> Generator[float, None, np.ndarray]:
        return (yield from identical_steps(self.sets, usable))

    def near(self, usable: np.ndarray, bands: list[tuple[int, int]], max_run: int | None
             ) -> Generator[float, None, np.ndarray]:
        return (yield from lsh_pair_steps(self.sigs, usable, bands, max_run))

    def frequency(self, counted: np.ndarray) -> Generator[float, None, np.ndarray]:
        return (yield from phrase_frequency_steps(self.sets, counted))

    def sampled(self, heads: np.ndarray, sample: int, containment: float, miss: float
                ) -> Generator[float, None, np.ndarray]:
        return (yield from sample_pair_steps(self.sets, heads, sample, containment, miss)).pairs

    def counts(self, pairs: np.ndarray, common: np.ndarray | None = None,
               stock_stories: int = 10) -> tuple[np.ndarray, np.ndarray]:
        return shared_counts(self.sets, pairs, common, stock_stories)


def counted(finder: PairFinder, pairs: np.ndarray, common: np.ndarray | None, stock_stories: int,
            report: Callable[[float], Progress]) -> Steps[tuple[np.ndarray, np.ndarray]]:
    """``finder.counts`` of ``pairs`` a slice at a time (``shared.in_slices``), with a report between
    slices (``report(share counted)``)."""
    found = yield from mapped(in_slices(lambda part: finder.counts(part, common, stock_stories), pairs,
                                        finder.sizes), report)
    shared, specific = (np.concatenate(c) for c in zip(*found))
    return shared, specific
