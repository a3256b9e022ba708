"""Dates read from story text, checked against the events they belong to.

ecbplus carries no publication dates, but every story is labelled with its event, and the stories of one
event were written within weeks of each other. So a story dated more than --days days from the median
date of its event's dated stories most likely has a wrong date (a date deep in the text taken for the
story's own, or a year inferred wrongly). This is a proxy, not a truth: an event's coverage can itself
spread over months. Default settings; the records' date fields are empty, so every date here comes from
the text.

    python benchmarks/dates.py --data ../shared/eval/ecbplus/ecbplus.jsonl [--days 31] [--show 20]

With --years, a set whose stories were all published within known years (BBC news, 2004-2005) is checked
against them instead: every story the scan dates outside those years has a wrong date.

    python benchmarks/dates.py --data ../shared/eval/bbc_fulltext/bbc_fulltext.jsonl --years 2004-2005
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from newsdedup.ingest.files import read_paths
from newsdedup.model import finish
from newsdedup.stories.build import build_stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a .jsonl whose records have a 'label'")
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--show", type=int, default=0, help="list this many of the suspect dates")
    parser.add_argument("--years", help="FIRST-LAST: the years every story of the set was published in")
    args = parser.parse_args()
    labels = {}
    for line in args.data.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            rec = json.loads(line)
            labels[str(rec["id"])] = rec["label"]
    outcome = finish(read_paths([args.data]))
    stories = finish(build_stories(outcome.documents))
    print(f"{len(stories)} stories; date provenance: "
          + ", ".join(f"{k} {n}" for k, n in Counter(s.date_provenance.value for s in stories).most_common()))
    if args.years:
        first, last = (int(y) for y in args.years.split("-"))
        dated = [s for s in stories if s.published is not None]
        wrong = [s for s in dated if not first <= s.published.year <= last]
        print(f"{len(dated)} dated; outside {first}-{last}: {len(wrong)}")
        for s in wrong[:args.show]:
            print(f"  {s.story_id:<40} {s.published} ({s.date_provenance.value})")
        return
    by_event = defaultdict(list)
    for s in stories:
        if s.published is not None:
            by_event[labels[s.doc_id.split("#", 1)[1]]].append(s)
    suspect = []
    for event, dated in by_event.items():
        median = sorted(s.published for s in dated)[len(dated) // 2]
        suspect += [(event, s, median) for s in dated if abs((s.published - median).days) > args.days]
    print(f"{sum(map(len, by_event.values()))} dated, in {len(by_event)} events; more than {args.days} days from "
          f"their event's median date: {len(suspect)} stories in {len({e for e, _, _ in suspect})} events")
    for event, s, median in suspect[:args.show]:
        print(f"  {event:<12} {s.story_id:<32} {s.published} ({s.date_provenance.value}), event median {median}")


if __name__ == "__main__":
    main()
