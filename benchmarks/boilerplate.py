"""How much of raw web pages is marked as boilerplate, and a sample to read and judge by eye.

Reads a .jsonl of raw page texts (wikiref: web pages full of navigation and furniture), builds stories with
default settings, and prints the share of words marked as boilerplate (by kind), beside a baseline run in
the same invocation without the cross-outlet pass. Then prints 30 random removed lines and 30 random kept
lines (fixed seed), to be read and counted, and the passages most often marked as repeated across an
outlet (for reuters21578, the "Reuter" sign-off; for 20newsgroups, signatures): a removed line that is story text, or a kept line that is
furniture, is wrong.

    python benchmarks/boilerplate.py --data ../shared/eval/wikiref/wikiref220.jsonl [--lines 30] [--seed 7]
    python benchmarks/boilerplate.py --data ../shared/eval/20newsgroups/20newsgroups.jsonl --top 40
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsdedup.ingest.files import read_paths  # noqa: E402
from newsdedup.model import finish
from newsdedup.stories.build import build_stories  # noqa: E402
from newsdedup.stories.outlet_boilerplate import OutletBoilerplateSettings  # noqa: E402
from newsdedup.text import words  # noqa: E402


def _stories(documents, across):
    stories = finish(build_stories(documents, across=across))
    return stories


def _shares(documents, stories) -> tuple[float, Counter]:
    by_id = {d.doc_id: d for d in documents}
    total = sum(s.words for s in stories)
    removed = sum(s.boilerplate_words for s in stories)
    kinds: Counter = Counter()
    for s in stories:
        w = words(by_id[s.doc_id].text)
        for b in s.boilerplate:
            kinds[b.kind] += len(w.within([(b.start, b.end)]))
    return removed / max(total, 1), Counter({k: v / max(total, 1) for k, v in kinds.items()})


def _lines(documents, stories):
    """(removed, kept) lines: each boilerplate span, and each non-empty line of story text."""
    by_id = {d.doc_id: d for d in documents}
    removed, kept = [], []
    for s in stories:
        text = by_id[s.doc_id].text
        removed += [(b.kind, b.support, text[b.start:b.end]) for b in s.boilerplate]
        for a, b in s.clean_ranges():
            kept += [line.strip() for line in text[a:b].split("\n") if line.strip()]
    return removed, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a .jsonl of raw page texts")
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kind", help="sample removed lines of this kind only (e.g. repeated_across_outlet)")
    parser.add_argument("--top", type=int, default=15, help="how many repeated-across-outlet passages to list")
    args = parser.parse_args()
    outcome = finish(read_paths([args.data], max_bytes=1 << 30))
    docs = outcome.documents
    t0 = time.perf_counter()
    baseline = _stories(docs, OutletBoilerplateSettings(min_documents=1 << 30))  # cross-outlet pass off
    t1 = time.perf_counter()
    stories = _stories(docs, OutletBoilerplateSettings())
    t2 = time.perf_counter()
    share_base, _ = _shares(docs, baseline)
    share, kinds = _shares(docs, stories)
    print(f"{len(docs)} documents, {len(stories)} stories, {sum(s.words for s in stories)} words")
    print(f"words marked boilerplate: {share:.1%} (document-only baseline {share_base:.1%}); "
          f"time ratio {(t2 - t1) / max(t1 - t0, 1e-9):.2f}x the baseline")
    for kind, v in kinds.most_common():
        print(f"  {kind:<24} {v:.1%}")
    removed, kept = _lines(docs, stories)
    across = Counter(" ".join(line.split())[:90] for kind, _, line in removed if kind == "repeated_across_outlet")
    print(f"\npassages repeated across an outlet: {len(across)} distinct, {sum(across.values())} spans; the most "
          "frequent:")
    for line, n in across.most_common(args.top):
        print(f"  {n:>6} x {line!r}")
    rng = random.Random(args.seed)
    if args.kind:
        removed = [r for r in removed if r[0] == args.kind]
    print(f"\n{args.lines} random removed lines (of {len(removed)}):")
    for n, (kind, support, line) in enumerate(rng.sample(removed, min(args.lines, len(removed))), 1):
        print(f"R{n:02} [{kind} x{support}] {line[:150]!r}")
    print(f"\n{args.lines} random kept lines (of {len(kept)}):")
    for n, line in enumerate(rng.sample(kept, min(args.lines, len(kept))), 1):
        print(f"K{n:02} {line[:150]!r}")


if __name__ == "__main__":
    main()
