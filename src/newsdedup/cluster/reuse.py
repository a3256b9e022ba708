"""The reuse rules (``dedup.rules``) on the workers, where the texts are: no text comes to the client.

Each rule decides a pair from the two stories' texts, so the pairs are dealt to buckets (by the partition of
their first story), each partition sends every bucket the clean texts of its stories the bucket's pairs
name (a shuffle, ``shuffle.pieces``), and a task per bucket runs the local rule functions. Two rounds, as
the local rules run: first the series and quote rules and the overlaps of every pair that may make a story
the source of another; the client, holding only numbers, finds the sources each pair's two stories share
(``sources.common_sources``); then a second round decides the pairs that have one
(``sources.beyond_sources``). What comes back is masks and counts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from newsdedup.cluster.candidates import representative_texts
from newsdedup.cluster.partitions import Part
from newsdedup.cluster.shuffle import column, owner_part, pieces
from newsdedup.dedup.forms import filled_forms
from newsdedup.dedup.quotes import quoted_in_both
from newsdedup.dedup.rules import ReuseRules
from newsdedup.dedup.sources import beyond_sources, common_sources, overlaps, runs_of, touching
from newsdedup.model import Progress, Steps

Texts = list[tuple[np.ndarray, list[str]]]  # pieces of (story numbers, their clean texts)


def texts_for(part: Part, wanted: list[np.ndarray]) -> Texts:
    """A piece per bucket: the clean texts of the part's stories the bucket asks for (``wanted[j]``)."""
    every = np.unique(np.concatenate(wanted)) if wanted else np.zeros(0, np.int64)
    text = dict(zip(every.tolist(), representative_texts(part, every)))
    return [(w, [text[g] for g in w.tolist()]) for w in wanted]


def _texts(pieces_in: tuple) -> dict[int, str]:
    return {g: t for numbers, texts in pieces_in for g, t in zip(numbers.tolist(), texts)}


def first_round(*pieces_in: tuple, pairs: np.ndarray, linked: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Of the bucket's reuse ``pairs``: which are two items of one series or two replies sharing what both
    quote; of its ``linked`` pairs: the runs shared and each story's runs (``sources.overlaps``)."""
    text = _texts(pieces_in)

    def texts_of(rows) -> list[str]:
        return [text[r] for r in rows]
    out = filled_forms(pairs, texts_of)
    rest = np.flatnonzero(~out)
    out[rest[quoted_in_both(pairs[rest], texts_of)]] = True
    runs = {g: runs_of(t) for g, t in text.items()}
    return (out, *overlaps(linked, runs))


def second_round(*pieces_in: tuple, asks: list[tuple[int, int, list[int]]], containment: float,
                 min_shingles: int) -> np.ndarray:
    """Of the bucket's pairs (two stories and the sources both have), which share too little beyond a source."""
    runs = {g: runs_of(t) for g, t in _texts(pieces_in).items()}
    return np.array([beyond_sources(i, j, xs, runs, containment, min_shingles) for i, j, xs in asks], dtype=bool)


def worker_rules(client, parts: list, offsets: np.ndarray) -> ReuseRules:
    """``ReuseRules`` run on ``client``'s workers over the partitions ``parts`` (first story numbers ``offsets``)."""

    def kept(reused: np.ndarray, copies: np.ndarray, containment: float, min_shingles: int,
             report: Callable[[float], Progress]) -> Steps[np.ndarray]:
        keep = np.ones(len(reused), dtype=bool)
        if len(reused) == 0:
            return keep
        near = copies[touching(reused, copies)]
        linked = np.concatenate((reused, near))
        pair_bucket, link_bucket = owner_part(reused[:, 0], offsets), owner_part(linked[:, 0], offsets)
        first = yield from _on_buckets(  # every bucket holds linked pairs: the reuse pairs lead them
            client, parts, offsets, link_bucket, first_round,
            lambda j: {"pairs": reused[pair_bucket == j], "linked": linked[link_bucket == j]},
            lambda j: linked[link_bucket == j].ravel(), lambda share: report(share / 3 * 2))
        shared = np.zeros(len(linked), np.int64)
        size_a, size_b = np.ones(len(linked), np.int64), np.ones(len(linked), np.int64)
        for j, (out, s, a, b) in first.items():
            keep[np.flatnonzero(pair_bucket == j)[out]] = False
            at = np.flatnonzero(link_bucket == j)
            shared[at], size_a[at], size_b[at] = s, a, b
        rows = np.flatnonzero(keep)
        if len(rows) < 2:  # as ``explained_by_a_source_steps``
            return keep
        pairs = reused[rows]
        # the local rule's linked pairs: the pairs still reuse, and the copies touching their stories
        still = np.concatenate((rows, len(reused) + np.flatnonzero(touching(pairs, near))))
        common = common_sources(pairs, linked[still], shared[still], size_a[still], size_b[still])
        ask_rows = np.flatnonzero([len(c) > 0 for c in common])
        if len(ask_rows) == 0:
            return keep
        asks = [(int(pairs[k, 0]), int(pairs[k, 1]), common[k].tolist()) for k in ask_rows.tolist()]
        ask_bucket = owner_part(pairs[ask_rows, 0], offsets)
        second = yield from _on_buckets(
            client, parts, offsets, ask_bucket, second_round,
            lambda j: {"asks": [asks[k] for k in np.flatnonzero(ask_bucket == j).tolist()],
                       "containment": containment, "min_shingles": min_shingles},
            lambda j: np.array([g for k in np.flatnonzero(ask_bucket == j).tolist()
                                for g in (asks[k][0], asks[k][1], *asks[k][2])], dtype=np.int64),
            lambda share: report((2 + share) / 3))
        for j, explained in second.items():
            keep[rows[ask_rows[np.flatnonzero(ask_bucket == j)[explained]]]] = False
        return keep
    return kept


def _on_buckets(client, parts: list, offsets: np.ndarray, bucket: np.ndarray, task, arguments, needed,
                report: Callable[[float], Progress]) -> Steps[dict]:
    """``task`` per bucket (each that ``bucket`` names) on the workers, given the texts of the stories
    ``needed(j)`` names, from every partition, and ``arguments(j)``; their answers by bucket."""
    from distributed import as_completed

    buckets = np.unique(bucket)
    need = [np.unique(needed(j)) for j in buckets.tolist()]
    wanted = [[w[(w >= offsets[p]) & (w < offsets[p + 1])] for w in need] for p in range(len(parts))]
    cuts = client.map(texts_for, parts, wanted, pure=False)
    rows = pieces(client, cuts, len(buckets))
    futures = {client.submit(task, *column(rows, k), **arguments(j), pure=False): j
               for k, j in enumerate(buckets.tolist())}
    yield report(0.0)
    answers = {}
    for done, future in enumerate(as_completed(futures), 1):
        answers[futures[future]] = future.result()
        yield report(done / len(futures))
    return answers
