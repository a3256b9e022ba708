"""Two checks beside benchmarks/dedup.py, run from it: partial reuse as a reader judges it, and big copy groups.

- ``print_sample``: N random ``partial_reuse`` pairs of a set (a fixed seed), each with both titles, its
  scores and the passages the two share, for a person to read and say which are real reuse.
- ``copy_groups``: N identical records, N copies each with one word changed, and N different records as the
  baseline, each scanned whole (``pipeline.scan`` on a folder holding one JSON Lines file) in a fresh process,
  so that its peak resident memory is that scan's alone; time and memory as ratios against the baseline.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from newsdedup.dedup.forms import filled_forms
from newsdedup.dedup.passages import passages_between
from newsdedup.dedup.quotes import quoted_in_both
from newsdedup.dedup.relations import COPIES, DuplicateSettings
from newsdedup.dedup.sources import explained_by_a_source

_CHILD = """
import json, resource, sys, time
from collections import Counter
from newsdedup.pipeline import scan
start = time.perf_counter()
result = scan([sys.argv[1]])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": len(result.relations), "kinds": Counter(r.kind for r in result.relations),
                  "largest_group": max(len(g.members) for g in result.groups)}))
"""


def print_sample(name: str, stories, clean, texts: dict, relations, count: int, seed: int) -> None:
    """``count`` random partial_reuse pairs of one set with the passages they share (``texts``: doc id -> text)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    reuse = [r for r in relations if r.kind == "partial_reuse"]
    picked = random.Random(seed).sample(reuse, min(count, len(reuse)))
    print(f"\n{len(picked)} random partial_reuse pairs of {name} (of {len(reuse)}; seed {seed})")
    for k, r in enumerate(picked, 1):
        i, j = index[r.story_a], index[r.story_b]
        a_text, b_text = texts[stories[i].doc_id], texts[stories[j].doc_id]
        print(f"\n#{k} {r.story_a}  |  {r.story_b}   Jaccard {r.jaccard:.2f}, {r.containment_a_in_b:.0%} of a "
              f"in b, {r.containment_b_in_a:.0%} of b in a, {r.shared_words} shared runs")
        print(f"  a: {stories[i].title[:110]}")
        print(f"  b: {stories[j].title[:110]}")
        for p in passages_between(clean[i], clean[j]):
            print("   =", " ".join(a_text[p.a_start:p.a_end].split())[:500])
        for side, story, text in (("a", stories[i], a_text), ("b", stories[j], b_text)):
            print(f"  {side} opens: " + " ".join(text[story.start:story.end].split())[:300])


def copies_of_original(tool, truth: dict) -> list[bool]:
    """For every story in a duplicate group but its original: whether it is a copy of the original by its own
    exact scores (``truth``: {(i, j): grade} for i < j, as benchmarks/dedup.py's exact way grades pairs)."""
    index = {s.story_id: i for i, s in enumerate(tool.stories)}
    return [truth.get(tuple(sorted((index[m], index[g.canonical])))) in COPIES
            for g in tool.groups for m in g.members if m != g.canonical]


def reuse_truth(tool, truth: dict, texts: list[str]) -> set:
    """The partial reuse pairs the tool should report, by exact scores: between the originals of two groups,
    and not two items of one series (``forms``), two replies sharing only what both quote (``quotes``) nor two
    stories built on one source through it
    (``sources``), as the tool tells them, with the tool's copy pairs; and a copy with changes
    of a story in another group (the tool reports it as reuse: built on that one)."""
    label, heads = tool.label(), tool.canonical()
    want = {p for p, k in truth.items()
            if k == "partial_reuse" and heads[p[0]] and heads[p[1]] and label[p[0]] != label[p[1]]}
    listed = np.array(sorted(want), dtype=np.int64).reshape(-1, 2)
    listed = listed[~filled_forms(listed, lambda rows: [texts[i] for i in rows])]
    listed = listed[~quoted_in_both(listed, lambda rows: [texts[i] for i in rows])]
    built_on = tool.pairs(("partial_reuse",)) & {p for p, k in truth.items() if k in COPIES}
    copies = np.array(sorted(tool.pairs(COPIES) | built_on), dtype=np.int64).reshape(-1, 2)
    settings = DuplicateSettings()
    alone = ~explained_by_a_source(listed, copies, lambda rows: [texts[i] for i in rows],
                                   settings.partial_reuse_containment, settings.reuse_min_shingles)
    return {tuple(p) for p in listed[alone].tolist()} | built_on


def _story(rng: np.random.Generator, vocabulary: list[str], words: int) -> list[str]:
    return [str(w) for w in rng.choice(vocabulary, words)]


def _write(folder: Path, texts: list[str]) -> Path:
    folder.mkdir()
    with open(folder / "records.jsonl", "w", encoding="utf-8") as fh:
        for k, text in enumerate(texts):
            fh.write(json.dumps({"id": k, "title": f"Story {k}", "text": text}) + "\n")
    return folder


def _scan_in_child(folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True,
                         check=True, timeout=1800)
    return json.loads(out.stdout.strip().splitlines()[-1])


def copy_groups(count: int, words: int = 300) -> None:
    """Scan ``count`` identical records, ``count`` near-identical ones and ``count`` different ones."""
    rng = np.random.default_rng(17)
    vocabulary = [f"w{k}" for k in range(20000)]
    base = _story(rng, vocabulary, words)
    near = []
    for _ in range(count):
        copy = list(base)
        copy[int(rng.integers(words))] = str(rng.choice(vocabulary))
        near.append(" ".join(copy))
    cases = {"different (baseline)": [" ".join(_story(rng, vocabulary, words)) for _ in range(count)],
             "identical": [" ".join(base)] * count, "one word changed in each": near}
    print(f"\nCopy groups: {count} records of {words} words, each set scanned whole in a fresh process")
    print(f"{'records':<26}{'seconds':>9}{'x base':>8}{'peak MB':>9}{'x base':>8}{'pair rows':>11}{'largest group':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        base_run = None
        for label, texts in cases.items():
            got = _scan_in_child(_write(Path(tmp) / label.split()[0], texts))
            base_run = base_run or got
            print(f"{label:<26}{got['seconds']:>9.1f}{got['seconds'] / base_run['seconds']:>8.2f}"
                  f"{got['peak_mb']:>9.0f}{got['peak_mb'] / base_run['peak_mb']:>8.2f}{got['rows']:>11}"
                  f"{got['largest_group']:>15}")
