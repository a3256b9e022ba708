"""The user's decisions applied to a result: at once in the GUI, and on every later scan.

``pipeline.apply_decisions(result, decisions, sets=None)`` returns the result as the decisions make it,
without reading a file, through the pipeline's tail and the pieces here: boilerplate decisions change
spans (``applied_stories``, ``corrections.boilerplate``), and then the stories they touch are
fingerprinted and related again; "not a duplicate" pairs are cannot-links when duplicate
groups are built (copies are joined strongest first, never across a cannot-link); event decisions are
must-link / cannot-link pairs for ``cluster_events``; a rename is the label of the event holding its
anchor story. Every story a decision changed gets the decision's edit word in ``result.edits`` (the
cluster CSV's ``edited`` column). A result that already carries decisions (some since removed) may be
given: what comes out depends only on the result as found and the decisions given.

Where decisions contradict, the later one wins for the same pair of stories; a must-link chain can still
join two stories a cannot-link separates (must-links are applied first). Moving a story moves the copies
in its duplicate group with it: copies of one text report the same event.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from newsdedup.corrections.boilerplate import MARKED_BY_USER, applied, redescribed
from newsdedup.corrections.decisions import (
    EDIT_WORDS,
    AlwaysBoilerplate,
    Decision,
    MergeEvents,
    MoveStory,
    NotDuplicate,
    NotSameEvent,
    RenameEvent,
    SameEvent,
    SplitEvent,
    TextAfterAll,
)
from newsdedup.dedup.relations import (
    COPIES,
    DuplicateSettings,
    duplicate_group_steps,
)
from newsdedup.events.cluster import EventSettings, cluster_events
from newsdedup.events.incremental import Earlier
from newsdedup.events.words import WordBags
from newsdedup.model import Document, DuplicateGroup, Event, Progress, Relation, Steps, Story, mapped
from newsdedup.signatures import ShingleSets


def event_pairs(decisions: list[Decision]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(must-link, cannot-link) story pairs for event clustering; a later decision on a pair wins."""
    said: dict[frozenset, tuple[str, tuple[str, str]]] = {}

    def put(how: str, a: str, b: str) -> None:
        if a != b:
            key = frozenset((a, b))
            said.pop(key, None)  # re-inserted last, so the order of the dict is the order of decisions
            said[key] = (how, (a, b))

    for d in decisions:
        if isinstance(d, SameEvent):
            for other in d.story_ids[1:]:
                put("must", d.story_ids[0], other)
        elif isinstance(d, NotSameEvent):
            put("cannot", d.story_a, d.story_b)
        elif isinstance(d, MoveStory):
            for other in d.away_from:
                put("cannot", d.story_id, other)
            put("must", d.story_id, d.to_story)
        elif isinstance(d, MergeEvents):
            put("must", d.story_a, d.story_b)
        elif isinstance(d, SplitEvent) and d.story_ids:
            for other in d.story_ids[1:]:
                put("must", d.story_ids[0], other)
            for other in d.rest:
                put("cannot", d.story_ids[0], other)
    must = [pair for how, pair in said.values() if how == "must"]
    cannot = [pair for how, pair in said.values() if how == "cannot"]
    return must, cannot


def allowed_copies(relations: list[Relation], apart: list[tuple[str, str]]) -> list[Relation]:
    """``relations`` without the copy links that would put a "not a duplicate" pair in one group: copies
    join strongest first, and a link that would join two stories kept apart is left out."""
    if not apart:
        return list(relations)
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    banned: dict[str, set[str]] = {}  # component root -> stories it must not join
    for a, b in apart:
        banned.setdefault(a, set()).add(b)
        banned.setdefault(b, set()).add(a)
    members: dict[str, set[str]] = {s: {s} for s in banned}  # component root -> its constrained stories
    copies = sorted((r for r in relations if r.kind in COPIES), key=lambda r: -r.jaccard)
    refused: set[int] = set()
    for r in copies:
        ra, rb = root(r.story_a), root(r.story_b)
        if ra == rb:
            continue
        if banned.get(ra, set()) & members.get(rb, set()):
            refused.add(id(r))
            continue
        parent[rb] = ra
        banned[ra] = banned.get(ra, set()) | banned.pop(rb, set())
        members[ra] = members.get(ra, set()) | members.pop(rb, set())
    return [r for r in relations if id(r) not in refused]


def _labelled(events: list[Event], decisions: list[Decision]) -> list[Event]:
    where = {sid: i for i, e in enumerate(events) for sid in e.story_ids}
    out = list(events)
    for d in decisions:
        if isinstance(d, RenameEvent) and d.story_id in where and d.label.strip():
            i = where[d.story_id]
            out[i] = dataclasses.replace(out[i], label=d.label.strip())
    return out


def _edit_words(decisions: list[Decision], events: list[Event], known: set[str],
                edits: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    event_of = {sid: e.story_ids for e in events for sid in e.story_ids}
    for d in decisions:
        word = EDIT_WORDS[type(d)]
        touched: tuple[str, ...]
        if isinstance(d, (NotDuplicate, NotSameEvent)):
            touched = (d.story_a, d.story_b)
        elif isinstance(d, SameEvent):
            touched = d.story_ids
        elif isinstance(d, MoveStory):
            touched = (d.story_id,)
        elif isinstance(d, SplitEvent):
            touched = d.story_ids + d.rest
        elif isinstance(d, (MergeEvents, RenameEvent)):
            anchor = d.story_a if isinstance(d, MergeEvents) else d.story_id
            touched = event_of.get(anchor, ())
        else:
            continue  # boilerplate decisions: counted where they changed a span
        for sid in touched:
            if sid in known:
                edits.setdefault(sid, set()).add(word)
    return {sid: tuple(sorted(w)) for sid, w in sorted(edits.items())}


def decided_groups_and_events(stories: list[Story], texts: Sequence[str], sets: ShingleSets,
                              relations: list[Relation], decisions: list[Decision],
                              duplicates: DuplicateSettings, events: EventSettings,
                              edits: dict[str, set[str]] | None = None, earlier: Earlier | None = None,
                              words: WordBags | None = None, workers: int | None = 1
                              ) -> Steps[tuple[list[DuplicateGroup], list[Event], dict]]:
    """A stage: (duplicate groups, events, edits) under the decisions (``earlier``, ``words``, ``workers``:
    see ``cluster_events``)."""
    apart = [(d.story_a, d.story_b) for d in decisions if isinstance(d, NotDuplicate)]
    # the groups' members scored against their canonical ones: seconds at 400,000 stories, reported as the
    # start of the events (the groups are what the events are made of)
    groups = yield from mapped(duplicate_group_steps(stories, sets, allowed_copies(relations, apart), duplicates),
                               lambda share: Progress("events", 0, 1))
    must, cannot = event_pairs(decisions)
    found = yield from cluster_events(stories, texts, groups, events, must, cannot, earlier=earlier, words=words,
                                      workers=workers)
    found = _labelled(found, decisions)
    known = {s.story_id for s in stories}
    return groups, found, _edit_words(decisions, found, known, dict(edits or {}))


def decided_spans(stories, decisions: Sequence[Decision]) -> bool:
    """Whether boilerplate decisions are at work, now or in ``stories`` as they were decided before."""
    return any(isinstance(d, (TextAfterAll, AlwaysBoilerplate)) for d in decisions) or any(
        b.kept or b.kind == MARKED_BY_USER for s in stories for b in s.boilerplate)


def applied_stories(stories: list[Story], documents: Mapping[str, Document], decisions: list[Decision]
                    ) -> tuple[list[Story], dict[str, set[str]], bool]:
    """The stories with the boilerplate decisions applied (those whose spans moved described again), the
    edit words those decisions gave, and whether any story's spans moved."""
    shown, edits = applied(stories, documents, decisions)
    moved = [i for i, (old, new) in enumerate(zip(stories, shown)) if old.boilerplate != new.boilerplate]
    for i in moved:
        shown[i] = redescribed(shown[i], documents[shown[i].doc_id])
    return shown, edits, bool(moved)
