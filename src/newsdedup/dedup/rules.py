"""The reuse rules: which partial reuse pairs between two duplicate groups are not reuse after all.

Three rules read the stories' texts, a pair at a time: two items of one series (a form filled with other
figures or names, ``forms``), two replies sharing only what both quote (``quotes``), and two stories built
on one source through it (``sources``). ``find_relations`` asks them through ``ReuseRules``: the local scan
reads the texts it holds (``text_rules``); the cluster scan runs the same functions on its workers, where the
texts are (``newsdedup.cluster.reuse``), so no text comes to its client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from newsdedup.dedup.forms import filled_forms
from newsdedup.dedup.quotes import quoted_in_both
from newsdedup.dedup.sources import explained_by_a_source_steps
from newsdedup.model import Progress, Steps, reported

RULE_PAIRS = 500  # reuse pairs the text rules decide between two reports (a report each: at 1-4 ms a pair, under 2 s)


class ReuseRules(Protocol):
    """Which of the partial reuse pairs ``reused`` stay reuse: a stage's steps (``report(share done)``) that
    return a mask over them. ``copies``: the copy pairs (which may make a story the source of another)."""

    def __call__(self, reused: np.ndarray, copies: np.ndarray, containment: float, min_shingles: int,
                 report: Callable[[float], Progress]) -> Steps[np.ndarray]: ...


def text_rules(texts_of: Callable[[Sequence[int]], list[str]]) -> ReuseRules:
    """The rules over the clean texts ``texts_of`` gives (by story number), in this process."""
    texts_of = remembered(texts_of)

    def kept(reused: np.ndarray, copies: np.ndarray, containment: float, min_shingles: int,
             report: Callable[[float], Progress]) -> Steps[np.ndarray]:
        keep = np.ones(len(reused), dtype=bool)
        for r, rule in enumerate((filled_forms, quoted_in_both)):  # each pair on its own: a slice at a time
            rows = np.flatnonzero(keep)
            for lo in range(0, len(rows), RULE_PAIRS):
                part = rows[lo:lo + RULE_PAIRS]
                keep[part[rule(reused[part], texts_of)]] = False
                yield report((r + min(lo + RULE_PAIRS, len(rows)) / len(rows)) / 3)
        rows = np.flatnonzero(keep)
        explained = explained_by_a_source_steps(reused[rows], copies, texts_of, containment, min_shingles,
                                                RULE_PAIRS)

        def done_of(share: float) -> int:
            return report((2 + min(share, 1.0)) / 3).done
        keep[rows[(yield from reported(report(0).stage, explained, done_of, report(0).total))]] = False
        return keep
    return kept


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
