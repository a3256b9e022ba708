"""The reuse rules: which partial reuse pairs between two duplicate groups are not reuse after all.

Three rules read the stories' texts, a pair at a time: two items of one series (a form filled with other
figures or names, ``forms``), two replies sharing only what both quote (``quotes``), and two stories built
on one source through it (``sources``). ``find_relations`` asks them through ``ReuseRules``: the local scan
reads the texts it holds (``text_rules``), and hands the first two rules' pairs, with their texts, to worker
processes when there are many (``POOL_PAIRS``: they are most of the candidates stage at 50k stories and
more); the cluster scan runs the same functions on its workers, where the texts are
(``newsdedup.cluster.reuse``), so no text comes to its client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from newsdedup.dedup.forms import filled_forms
from newsdedup.dedup.quotes import quoted_in_both
from newsdedup.dedup.sources import explained_by_a_source_steps
from newsdedup.model import Progress, Steps, mapped, reported
from newsdedup.pool import Pool

RULE_PAIRS = 500  # reuse pairs the text rules decide between two reports (a report each: at 1-4 ms a pair, under 2 s)
POOL_PAIRS = 4 * RULE_PAIRS  # from this many pairs a rule runs on worker processes (starting them takes a second)
PAIR_RULES = (filled_forms, quoted_in_both)  # the rules that decide each pair from its two texts alone


class ReuseRules(Protocol):
    """Which of the partial reuse pairs ``reused`` stay reuse: a stage's steps (``report(share done)``) that
    return a mask over them. ``copies``: the copy pairs (which may make a story the source of another)."""

    def __call__(self, reused: np.ndarray, copies: np.ndarray, containment: float, min_shingles: int,
                 report: Callable[[float], Progress]) -> Steps[np.ndarray]: ...


def text_rules(texts_of: Callable[[Sequence[int]], list[str]], workers: int | None = None,
               runs_held: Callable[[int], np.ndarray] | None = None) -> ReuseRules:
    """The rules over the clean texts ``texts_of`` gives (by story number): in this process, and for many
    pairs the two per-pair rules on ``workers`` processes (None: every core; 1: none). ``runs_held``: each
    story's five-word runs as the scan made them (the common source rule then reads no text)."""
    texts_of = remembered(texts_of)

    def kept(reused: np.ndarray, copies: np.ndarray, containment: float, min_shingles: int,
             report: Callable[[float], Progress]) -> Steps[np.ndarray]:
        keep = np.ones(len(reused), dtype=bool)
        with Pool(workers if len(reused) >= POOL_PAIRS else 1) as pool:  # one worker: in this process
            for r in range(len(PAIR_RULES)):  # each pair on its own: a slice at a time
                rows = np.flatnonzero(keep)
                parts = [rows[lo:lo + RULE_PAIRS] for lo in range(0, len(rows), RULE_PAIRS)]
                masks = yield from _decided(pool, r, [reused[part] for part in parts], texts_of, report)
                for part, mask in zip(parts, masks):
                    keep[part[mask]] = False
        rows = np.flatnonzero(keep)
        explained = explained_by_a_source_steps(reused[rows], copies, texts_of, containment, min_shingles,
                                                RULE_PAIRS, runs_held)

        def done_of(share: float) -> int:
            return report((2 + min(share, 1.0)) / 3).done
        keep[rows[(yield from reported(report(0).stage, explained, done_of, report(0).total))]] = False
        return keep
    return kept


def _decided(pool: Pool, rule: int, parts: list[np.ndarray], texts_of: Callable[[Sequence[int]], list[str]],
             report: Callable[[float], Progress]) -> Steps[list[np.ndarray]]:
    """``PAIR_RULES[rule]`` over each part of the pairs, on the pool (its workers, or this process), each
    part sent with the texts it reads: a mask per part."""
    chunks = []
    for pairs in parts:
        stories, local = np.unique(pairs, return_inverse=True)
        chunks.append((local.reshape(pairs.shape), texts_of(stories.tolist())))
    return (yield from mapped(pool.map("rules", rule_on_chunk, chunks, rule=rule),  # progress in parts done
                              lambda progress: report((rule + progress.done / max(len(parts), 1)) / 3)))


def rule_on_chunk(chunk: tuple[np.ndarray, list[str]], rule: int) -> np.ndarray:
    """In a worker: which pairs of a chunk (numbered within it, with its texts) ``PAIR_RULES[rule]`` drops."""
    pairs, texts = chunk
    return PAIR_RULES[rule](pairs, lambda rows: [texts[i] for i in rows])


def remembered(texts_of: Callable[[Sequence[int]], list[str]]) -> Callable[[Sequence[int]], list[str]]:
    """``texts_of`` asked only for the stories it was not asked for before (the three rules read mostly the
    same stories)."""
    known: dict[int, str] = {}

    def ask(rows: Sequence[int]) -> list[str]:
        missing = [r for r in dict.fromkeys(rows) if r not in known]
        if missing:
            known.update(zip(missing, texts_of(missing)))
        return [known[r] for r in rows]
    return ask
