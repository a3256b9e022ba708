"""How well multi-story files are split: real articles joined the way aggregator pages join them.

Takes real articles from reuters21578 (with their wire datelines, "SAO PAULO, Feb 26 - ", put back in
front of the text as the wire printed them) and bbc_fulltext (no datelines), joins pairs of them in three
styles an aggregator or a saved feed uses, and mixes in articles left alone. Reports, per set and style,
boundaries found, missed and invented by ``segment.split_stories`` with default settings, beside the
baseline of never splitting (which finds nothing and invents nothing).

    python benchmarks/segmentation.py --reuters ../shared/eval/reuters21578/reuters21578.jsonl \
        --bbc ../shared/eval/bbc_fulltext/bbc_fulltext.jsonl [--pairs 300] [--seed 1]

A found boundary is a cut anywhere from the second article's headline to the end of its first line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsdedup.stories.segment import split_stories  # noqa: E402

STYLES = ("headline", "separator", "bare")
SEPARATORS = ("Advertisement", "Read more", "* * *", "Related stories", "Share this article")


def _load(path: Path, with_dateline: bool, limit: int = 4000) -> list[tuple[str, str]]:
    """(title, text) of articles with a real body, the first ``limit`` found."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            text = (rec.get("text") or "").strip()
            if len(text.split()) < 30:  # a line or two is a headline list, not a story
                continue
            if with_dateline:
                dateline = (rec.get("dateline") or "").strip()
                if not dateline:
                    continue
                text = f"{dateline} {text}"
            out.append(((rec.get("title") or "").strip(), text))
            if len(out) >= limit:
                break
    return out


def _join(a: tuple[str, str], b: tuple[str, str], style: str, rng: random.Random) -> tuple[str, int, int]:
    """The joined text, where the second article begins, and where its first line ends."""
    first = f"{a[0]}\n\n{a[1]}" if style != "bare" else a[1]
    if style == "separator":
        first += f"\n\n{rng.choice(SEPARATORS)}"
    head = f"{b[0]}\n\n" if style != "bare" else ""
    start = len(first) + 2
    text = f"{first}\n\n{head}{b[1]}"
    body = start + len(head)
    line_end = text.find("\n", body)
    return text, start, line_end if line_end >= 0 else len(text)


def _score(cuts: list[int], start: int | None, line_end: int | None) -> tuple[int, int, int]:
    """(found, missed, invented) for the cuts made in one text with its true boundary (or none)."""
    hits = [c for c in cuts if start is not None and start - 1 <= c <= line_end]
    found = 1 if hits else 0
    missed = 1 if start is not None and not hits else 0
    return found, missed, len(cuts) - len(hits[:1])


def measure(articles: list[tuple[str, str]], pairs: int, rng: random.Random) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for style in STYLES:
        tally = [0, 0, 0, 0]  # found, missed, invented, texts
        for _ in range(pairs):
            a, b = rng.sample(articles, 2)
            text, start, line_end = _join(a, b, style, rng)
            cuts = [s.start for s in split_stories(text)[1:]]
            for k, v in enumerate(_score(cuts, start, line_end)):
                tally[k] += v
            tally[3] += 1
        rows[f"joined, {style}"] = tally
    tally = [0, 0, 0, 0]
    for title, body in rng.sample(articles, pairs):
        cuts = [s.start for s in split_stories(f"{title}\n\n{body}")[1:]]
        tally[2] += len(cuts)
        tally[3] += 1
    rows["single article"] = tally
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuters", type=Path, required=True)
    parser.add_argument("--bbc", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=300, help="joined texts per style (and single articles)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{'set':<8} {'texts':<18} {'n':>5} {'found':>6} {'missed':>7} {'invented':>9}   never-split baseline")
    for name, path, with_dateline in (("reuters", args.reuters, True), ("bbc", args.bbc, False)):
        rng = random.Random(args.seed)
        for kind, (found, missed, invented, n) in measure(_load(path, with_dateline), args.pairs, rng).items():
            base = f"found 0 missed {found + missed} invented 0"
            print(f"{name:<8} {kind:<18} {n:>5} {found:>6} {missed:>7} {invented:>9}   {base}")


if __name__ == "__main__":
    main()
