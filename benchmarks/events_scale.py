"""The events stage at growing size: its time, its growth exponent, its longest silence, and the recall
of its neighbour search against an exhaustive one, at each size.

    python benchmarks/events_scale.py --data ../shared/eval                # every set, then 4 copies (~200k)
    python benchmarks/events_scale.py --data ../shared/eval --copies 1 2 4 8
    python benchmarks/events_scale.py --data ../shared/eval --sets reuters21578 --copies 1 2   # a dated archive

Every set under --data is scanned once, as the app scans a folder (``run_scan``, default settings); the
events stage's input (stories, clean texts, duplicate groups) is then grown by perturbed copies
(``perturbed.perturbed_stories``: rare words renamed per copy, dates moved), so that k copies hold k times
the stories, events and names, with the common words k times as frequent. At each size the events stage
runs as the scan runs it (``cluster_events``), timed in wall seconds; its phases are read off its progress
(words 0..n, neighbours n..2n, merging 2n..3n, labels 3n..4n of 4n). The growth exponent between two sizes
is log(t2 / t1) / log(n2 / n1). Then the neighbour search beside an exhaustive search on ``--sample``
random stories (``events.search_recall``): against an exhaustive search by the stage's own rule (each story's
nearest by cosine, ranked by the fade), and against plain nearest neighbours; each also counting ties, a missed
link held where the search gives that story another link exactly as alike (see ``events._held``). The machine is shared: read the exponent and the ratios.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

from events import EVENTS, search_inputs, search_recall
from newsdedup.events.cluster import cluster_events
from newsdedup.model import Progress, finish
from newsdedup.pipeline import run_scan
from newsdedup.settings import Settings
from perturbed import perturbed_stories

BIG = 1 << 24


def timed_events(stories, texts, groups) -> dict:
    """The events stage: wall seconds, its phases' seconds and the longest wait between two reports."""
    marks: list[tuple[float, int, int]] = []

    def on_progress(item: Progress) -> None:
        marks.append((time.perf_counter(), item.done, item.total))

    started = time.perf_counter()
    events = finish(cluster_events(stories, texts, groups, EVENTS), on_progress)
    ended = time.perf_counter()
    times = [started] + [m[0] for m in marks] + [ended]
    total = marks[-1][2] or 1
    phases = []
    for q in (1, 2, 3):  # the first report past each quarter
        phases.append(next((t for t, done, _ in marks if done >= q * total // 4), ended))
    edges = [started, *phases, ended]
    return {"seconds": ended - started, "events": len(events), "longest": max(b - a for a, b in zip(times, times[1:])),
            "phases": [b - a for a, b in zip(edges, edges[1:])]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the eval folder (../shared/eval)")
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 4], help="sizes, in copies of the sets")
    ap.add_argument("--sample", type=int, default=3000, help="stories the exhaustive search checks")
    ap.add_argument("--sets", nargs="+", help="only these sets (folder names under --data), e.g. reuters21578")
    ap.add_argument("--search-only", action="store_true", help="the neighbour searches only, not the whole stage")
    args = ap.parse_args()
    files = sorted(f for f in args.data.glob("*/*.jsonl") if not args.sets or f.parent.name in args.sets)
    result = finish(run_scan(files, Settings(max_file_bytes=BIG, events=EVENTS)))
    texts = [result.clean_text(s) for s in result.stories]
    print(f"{len(files)} sets: {len(result.stories)} stories, {len(result.groups)} duplicate groups")
    print(f"{'copies':>6} {'stories':>8} {'groups':>8} {'events':>8} {'seconds':>8}   words / neighbours / "
          f"merging / labels (s)   longest silence   search recall (links)")
    rows = []
    for copies in args.copies:
        stories, texts_k, groups = perturbed_stories(result.stories, texts, result.groups, copies)
        got = {"seconds": math.nan, "events": 0, "longest": math.nan, "phases": [math.nan] * 4}
        if not args.search_only:
            got = timed_events(stories, texts_k, groups)
        found = search_recall(*search_inputs(stories, texts_k, groups), args.sample)
        fast, slow = found["fast"], found["slow"]
        rows.append((len(groups), got["seconds"], fast))
        print(f"{copies:6d} {len(stories):8d} {len(groups):8d} {got['events']:8d} {got['seconds']:8.1f}   "
              + " / ".join(f"{p:.1f}" for p in got["phases"])
              + f"   {got['longest']:6.2f} s   {found['stage']:.3f} ({found['stage_links']}; "
              f"{found['stage_ties']:.3f} counting ties; plain {found['plain']:.3f}, {found['plain_ties']:.3f} counting "
              f"ties; search {fast:.1f} s, {slow / fast:.1f}x faster than exhaustive)")
        del stories, texts_k, groups
    for (n1, t1, f1), (n2, t2, f2) in zip(rows, rows[1:]):
        grow = math.log(n2 / n1)
        stage = "not run" if args.search_only else f"n^{math.log(t2 / t1) / grow:.2f}"
        print(f"growth from {n1} to {n2} groups: events stage {stage}, neighbour search ~ n^{math.log(f2 / f1) / grow:.2f}")


if __name__ == "__main__":
    main()
