"""The window's filter box at the size of a big desk: how long one filter takes, word index against reading.

Reads an eval set (records with title, text, source), repeats it under new names up to ``--stories``
stories (one story per record), then times, in this one invocation, a filter for each of a few typed
words and phrases two ways: through ``search.SearchIndex`` (the word index the session builds off the GUI
thread once per result) and the plain way, ``in`` over every story's lower-cased title, source, file name
and text (the baseline; its lower-cased strings are made before the clock starts, as the window keeps
them). The index's build time is printed too: it runs on the worker, not on a keystroke.

    python benchmarks/filter.py --data ../shared/eval/bbc_fulltext/bbc_fulltext.jsonl [--stories 50000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsdedup.gui.story_index import StoryIndex  # noqa: E402  (Qt-free: lookups the tree makes)
from newsdedup.model import Document, ScanResult, Story, finish  # noqa: E402
from newsdedup.search import build_search_index  # noqa: E402

TYPED = ("minister", "mini", "zzqx", "prime minister", "football club", "the")


def desk(data: Path, n: int) -> ScanResult:
    records = [json.loads(line) for line in data.open(encoding="utf-8")]
    records = [r for r in records if r.get("text")]
    docs, stories = [], []
    while len(stories) < n:
        for r in records[: n - len(stories)]:
            name = f"c{len(stories) // len(records):03d}/{r['id']}.txt"
            text = f"{r.get('title') or ''}\n\n{r['text']}"
            docs.append(Document(doc_id=name, path=name, root="/desk", record_id="", text=text,
                                 source=r.get("source") or ""))
            stories.append(Story(story_id=f"{name}#0", doc_id=name, story_index=0, start=0, end=len(text),
                                 title=r.get("title") or "", source=r.get("source") or ""))
    return ScanResult(documents=tuple(docs), stories=tuple(stories))


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--stories", type=int, default=50_000)
    args = parser.parse_args()
    result = desk(args.data, args.stories)
    plain = StoryIndex(result)
    plain.matching("warm up")  # makes the lower-cased strings, as the window's first filter does
    t = time.perf_counter()
    index = finish(build_search_index(result))
    print(f"{len(result.stories)} stories; word index built in {time.perf_counter() - t:.1f} s (on the worker)")
    worst = 0.0
    for typed in TYPED:
        fast = best_of(3, lambda typed=typed: index.matching(typed))
        slow = best_of(3, lambda typed=typed: plain.matching(typed))
        worst = max(worst, fast)
        found = len(index.matching(typed))
        print(f"  {typed!r:18} index {fast * 1000:6.1f} ms   reading every story {slow * 1000:7.1f} ms   "
              f"x{slow / max(fast, 1e-9):5.1f}   {found} stories")
    print(f"worst filter through the index: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
