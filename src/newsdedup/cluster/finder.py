"""``ClusterFinder``: the duplicates stage's ``PairFinder`` with the shingle sets and signatures on the
workers, so the local ``find_relations_with`` runs on the client over what comes back: candidate pairs,
shared counts and run frequencies (numbers per pair or per run, no text, no shingle sets).

Each question is a shuffle (see ``pairs``): P partitions cut their rows into n buckets, n tasks answer per
bucket, and pairs come back to the client, which sorts them as the local functions return them. Pairs to
count go to the part of their first story, which adds its sets, and on to the part of the second, which
counts. Every task is made from its arguments and futures of tasks, so a worker lost is work done again.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from newsdedup.cluster import pairs as tasks
from newsdedup.cluster.shuffle import column, owner_part, pieces, split_rows
from newsdedup.dedup.candidates import _unique_pairs


class ClusterFinder:
    """Answers ``dedup.finder.PairFinder`` on ``parts`` (futures of signed ``Part``s, in story order)."""

    def __init__(self, client, parts: list, offsets: np.ndarray, sizes: np.ndarray) -> None:
        self.client, self.parts, self.offsets, self.sizes = client, parts, offsets, sizes
        self.n = len(parts)
        self._common: tuple[np.ndarray, object] | None = None  # the last run frequencies, and their future

    def _per_part(self, mask: np.ndarray) -> list[np.ndarray]:
        return [mask[a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:])]

    def _runs(self, usable: np.ndarray, bands, max_run: int | None, heads: bool) -> np.ndarray:
        cuts = self.client.map(tasks.key_pieces, self.parts, self._per_part(usable), bands=bands, n=self.n,
                               pure=False)
        rows = pieces(self.client, cuts, self.n)
        found = [self.client.submit(tasks.run_pairs, *column(rows, j), max_run=max_run, heads=heads, pure=False)
                 for j in range(self.n)]
        got = self.client.gather(found)
        return np.concatenate(got) if got else np.zeros((0, 2), np.int64)

    def identical(self, usable: np.ndarray) -> Generator[float, None, np.ndarray]:
        yield 0.0  # steps, as the local finder's (the work waits on the workers)
        pairs = self._runs(usable, None, None, heads=True)
        pairs = pairs[np.argsort(pairs[:, 1], kind="stable")]
        shared, _ = self.counts(pairs)
        same = shared == self.sizes[pairs[:, 1]]  # a fingerprint collision is checked away
        stand_in = np.arange(len(self.sizes))
        stand_in[pairs[same, 1]] = pairs[same, 0]
        return stand_in

    def near(self, usable: np.ndarray, bands: list[tuple[int, int]], max_run: int | None
             ) -> Generator[float, None, np.ndarray]:
        yield 0.0  # steps, as the local finder's (the work waits on the workers)
        return _unique_pairs(self._runs(usable, bands, max_run, heads=False))

    def frequency(self, counted: np.ndarray) -> Generator[float, None, np.ndarray]:
        yield 0.0
        rows = self._shingles(counted, 0)
        buckets = [self.client.submit(tasks.frequency_bucket, *column(rows, j), pure=False) for j in range(self.n)]
        joined = self.client.submit(tasks.joined, *buckets, pure=False)
        common = self.client.gather(joined)
        self._common = (common, joined)
        return common

    def sampled(self, heads: np.ndarray, sample: int, containment: float, miss: float
                ) -> Generator[float, None, np.ndarray]:
        yield 0.0
        rows = self._shingles(heads, sample)
        hits = [self.client.submit(tasks.sampled_hits, *column(rows, j), offsets=self.offsets, pure=False)
                for j in range(self.n)]
        back = pieces(self.client, hits, self.n)
        found = [self.client.submit(tasks.reuse_pairs, *column(back, i), sample=sample, containment=containment,
                                    miss=miss, pure=False) for i in range(self.n)]
        got = self.client.gather(found)
        return _unique_pairs(np.concatenate(got)) if got else np.zeros((0, 2), np.int64)

    def _shingles(self, counted: np.ndarray, sample: int) -> list[list]:
        cuts = self.client.map(tasks.shingle_pieces, self.parts, self._per_part(counted), sample=sample, n=self.n,
                               pure=False)
        return pieces(self.client, cuts, self.n)

    def counts(self, pairs: np.ndarray, common: np.ndarray | None = None,
               stock_stories: int = 10) -> tuple[np.ndarray, np.ndarray]:
        m = len(pairs)
        shared, specific = np.zeros(m, np.int64), np.zeros(m, float)
        if m == 0:
            return shared, specific
        weights = None
        if common is not None:  # the run frequencies as a task's result: made again if a worker is lost
            if self._common is not None and self._common[0] is common:
                weights = self._common[1]
            else:
                weights = self.client.scatter(common, broadcast=True)
        rows = np.arange(m)
        by_part = split_rows(owner_part(pairs[:, 0], self.offsets), self.n, rows, pairs[:, 0], pairs[:, 1])
        firsts = [self.client.submit(tasks.first_sides, part, r, a, b, offsets=self.offsets, pure=False)
                  for part, (r, a, b) in zip(self.parts, by_part)]
        cut = pieces(self.client, firsts, self.n)
        counted = [self.client.submit(tasks.second_sides, self.parts[j], *column(cut, j), common=weights,
                                      stock_stories=stock_stories, pure=False) for j in range(self.n)]
        for r, s, d in self.client.gather(counted):
            shared[r], specific[r] = s, d
        return shared, specific
