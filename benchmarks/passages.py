"""Shared passages on a click: two 5,000-word articles, timed against difflib in the same invocation.

    python benchmarks/passages.py --data ../shared/eval/bbc_fulltext/bbc_fulltext.jsonl

Article A is real news text (consecutive records of the set, joined up to --words words); article B is A
rewritten the way a reusing outlet does it: every fifth paragraph dropped, paragraphs of other records
put in, and one word in forty changed. The timed call is the GUI's: ``shared_passages(result, a, b)``,
words and all. The baseline is ``difflib.SequenceMatcher`` over the two word lists (its matching blocks).
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import sys
import time
from pathlib import Path

from newsdedup.dedup.passages import shared_passages
from newsdedup.model import Document, ScanResult, Story


def _paragraphs(path: Path, skip: int, words: int) -> list[str]:
    paras, count = [], 0
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if n < skip or not line.strip():
            continue
        for para in json.loads(line).get("text", "").split("\n"):
            if len(para.split()) >= 8:
                paras.append(para.strip())
                count += len(para.split())
        if count >= words:
            break
    return paras


def articles(path: Path, words: int, seed: int = 1) -> tuple[str, str]:
    rng = random.Random(seed)
    a = _paragraphs(path, 0, words)
    others = _paragraphs(path, 500, words // 4)
    b = []
    for i, para in enumerate(a):
        if i % 5 == 4:
            continue
        toks = para.split()
        for j in range(rng.randrange(40), len(toks), 40):
            toks[j] = "changed"
        b.append(" ".join(toks))
        if i % 7 == 3 and others:
            b.append(others.pop())
    return "\n\n".join(a), "\n\n".join(b)


def result_of(text_a: str, text_b: str) -> ScanResult:
    docs = tuple(Document(doc_id=n, path=n, root=".", record_id="", text=t) for n, t in (("a", text_a), ("b", text_b)))
    stories = tuple(Story(story_id=f"{d.doc_id}#0", doc_id=d.doc_id, story_index=0, start=0, end=len(d.text))
                    for d in docs)
    return ScanResult(documents=docs, stories=stories)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="a JSON Lines set of real news")
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    text_a, text_b = articles(args.data, args.words)
    result = result_of(text_a, text_b)
    a, b = result.stories
    passages = shared_passages(result, a, b)
    t_ours = best_of(lambda: shared_passages(result, a, b), args.repeat)
    wa, wb = text_a.lower().split(), text_b.lower().split()
    blocks = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks()
    t_difflib = best_of(lambda: difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks(),
                        args.repeat)
    print(f"articles: {len(wa)} and {len(wb)} words")
    print(f"shared_passages: {len(passages)} passages, {sum(p.words for p in passages)} words shared, "
          f"{t_ours * 1000:.1f} ms per call (median of {args.repeat})")
    print(f"difflib.SequenceMatcher (words, autojunk off): {sum(1 for x in blocks if x.size >= 8)} blocks of "
          f">= 8 words, {sum(x.size for x in blocks if x.size >= 8)} words, {t_difflib * 1000:.1f} ms per call")
    print(f"ratio: shared_passages is {t_difflib / t_ours:.1f}x faster than difflib")
    return 0


if __name__ == "__main__":
    sys.exit(main())
