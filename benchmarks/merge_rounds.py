"""The events' merge of this tree beside another checkout's, on one neighbour graph, in one process.

    python benchmarks/merge_rounds.py --data ../shared/eval --against ../main/src/newsdedup/events/merge.py

Scans Reuters (default settings), finds its dated stories' neighbours once, and runs both merges on the
same links, alternately, twice each: their seconds, the ratio of their sums, and whether their events are
the same, label for label. The machine is shared: read the ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import numpy as np

from events import EVENTS, search_inputs
from newsdedup.events import merge as ours
from newsdedup.events.cluster import _inside
from newsdedup.events.links import link_graph
from newsdedup.events.neighbours import neighbour_edges
from newsdedup.events.subjects import subject_ids
from newsdedup.events.timing import group_times
from newsdedup.model import finish
from newsdedup.pipeline import run_scan
from newsdedup.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the eval folder (../shared/eval)")
    ap.add_argument("--against", type=Path, required=True, help="another checkout's events/merge.py")
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("their_merge", args.against)
    theirs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(theirs)
    reuters = args.data / "reuters21578" / "reuters21578.jsonl"
    result = finish(run_scan([reuters], Settings(max_file_bytes=1 << 26, events=EVENTS)))
    stories, groups = result.stories, result.groups
    texts = [result.clean_text(s) for s in stories]
    matrix, fade, dated_mask = search_inputs(stories, texts, groups)
    index = {s.story_id: i for i, s in enumerate(stories)}
    times = group_times(stories, groups, index)
    subjects = subject_ids([stories[index[g.canonical]].title + "\n" + texts[index[g.canonical]] for g in groups])
    _, found = finish(neighbour_edges(matrix, EVENTS.link_neighbours, fade, dated_mask))
    dated = np.flatnonzero(dated_mask)
    inside, extra = _inside((dated[found[0]], dated[found[1]], found[2]), dated, matrix, EVENTS)
    seconds: dict[str, float] = {"theirs": 0.0, "ours": 0.0}
    labels = {}
    for name, module in (("theirs", theirs), ("ours", ours)) * 2:
        graph = getattr(module, "link_graph", link_graph)(inside, len(dated), EVENTS, matrix[dated], subjects[dated],
                                                           extra)  # an older merge.py made the graph itself
        started = time.perf_counter()
        labels[name] = finish(module.merge_events(matrix[dated], graph, np.arange(len(dated)), times.lo[dated],
                                                  times.hi[dated], np.empty((0, 2), np.int64), EVENTS))
        took = time.perf_counter() - started
        seconds[name] += took
        print(f"{name}: {took:.1f} s, {len(set(labels[name].tolist()))} events from {len(dated)} dated groups")
    print(f"the same events: {np.array_equal(labels['theirs'], labels['ours'])}; "
          f"theirs / ours: {seconds['theirs'] / seconds['ours']:.2f}x")


if __name__ == "__main__":
    main()
