"""Boilerplate repeated across an outlet, found per outlet: the stories of each outlet (with their
documents) are shuffled to one task, which runs the local ``outlet_boilerplate`` on them, and the spans it
marks go back to the partitions. Outlets are dealt to tasks by size, the largest first to the least loaded.

``outlet_boilerplate`` counts near-duplicate stories of one outlet once, and finds them within each
outlet only: so a task marks what the local scan marks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from newsdedup.cluster.partitions import Part
from newsdedup.model import finish
from newsdedup.stories.outlet_boilerplate import OutletBoilerplateSettings, outlet_boilerplate


def deal_outlets(sizes: Counter, tasks: int) -> dict[str, int]:
    """Each outlet's task: the largest outlets first, each to the task with the fewest stories so far."""
    load = [0] * tasks
    out = {}
    for outlet, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        t = min(range(tasks), key=load.__getitem__)
        out[outlet] = t
        load[t] += n
    return out


def split_by_outlet(part: Part, task_of: dict[str, int], n: int) -> list[tuple]:
    """Piece j: (part number, story numbers in the part, stories, their documents) of task j's outlets."""
    by_doc = part.by_doc()
    pieces: list[tuple] = [(part.index, [], [], {}) for _ in range(n)]
    for k, story in enumerate(part.stories):
        _, idx, stories, docs = pieces[task_of[story.source]]
        idx.append(k)
        stories.append(story)
        docs.setdefault(story.doc_id, by_doc[story.doc_id])
    return pieces


def outlet_task(*pieces: tuple, settings: OutletBoilerplateSettings, parts: int) -> list[list]:
    """Run ``outlet_boilerplate`` on the pieces' stories (in scan order); per part, the changed stories'
    (number in part, boilerplate)."""
    ordered = sorted(pieces, key=lambda p: p[0])
    stories = [s for p in ordered for s in p[2]]
    documents = tuple(d for p in ordered for d in p[3].values())
    changes: list[list] = [[] for _ in range(parts)]
    if not stories:
        return changes
    marked = finish(outlet_boilerplate(documents, stories, settings))
    at = [(p[0], k) for p in ordered for k in p[1]]
    for (part, k), before, after in zip(at, stories, marked):
        if after.boilerplate != before.boilerplate:
            changes[part].append((k, after.boilerplate))
    return changes


def apply_boilerplate(part: Part, *changes: list) -> Part:
    """The part with the spans the outlet tasks marked."""
    stories = list(part.stories)
    for lot in changes:
        for k, boilerplate in lot:
            stories[k] = replace(stories[k], boilerplate=boilerplate)
    return replace(part, stories=stories)
