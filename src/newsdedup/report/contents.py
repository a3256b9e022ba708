"""What goes in the HTML report, worked out from a ScanResult: the summary, the events in time order with
their copy groups and reuse, and the pairs shown side by side, within the report's size limits.

Everything here is plain data (strings, numbers, lists); the template only lays it out and escapes it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from newsdedup import __version__
from newsdedup.dedup.passages import shared_passages
from newsdedup.events.labels import date_range_label
from newsdedup.model import Event, Relation, ScanResult, Story
from newsdedup.report.marks import Piece, pieces
from newsdedup.report.timeline import TimelinePicture, timeline_picture

RELATION_WORDS = {"canonical": "likely original", "exact": "exact copy", "near_duplicate": "near-duplicate",
                  "copy_with_changes": "copy with changes", "partial_reuse": "partial reuse",
                  "linked": "linked through another copy"}
# which pairs keep their side-by-side view when the size limit bites: rewrites first (the text a reader
# cannot see from the scores alone), exact copies last (both sides are the same text)
VIEW_PRIORITY = {"partial_reuse": 0, "copy_with_changes": 1, "near_duplicate": 1, "linked": 2, "exact": 3}


@dataclass(frozen=True)
class ReportLimits:
    """How big a report may grow: a browser opens it within seconds at these sizes."""

    pair_views: int = 300  # side-by-side views at most
    pair_characters: int = 3_000_000  # article text in all side-by-side views together
    story_rows: int = 10_000  # stories listed; an event that would pass this shows its counts only
    problem_rows: int = 5_000  # files that could not be read, listed with their reasons
    open_below: int = 12  # a report with at most this many events and pair views opens them all


@dataclass
class StoryRow:
    story_id: str
    title: str
    source: str
    when: str
    path: str
    words: int
    boilerplate_words: int
    edited: str = ""


@dataclass
class Pair:
    """Two related stories: the likely original (or the earlier) on the left."""

    left: str
    right: str
    relation: str  # in words
    kind: str
    jaccard: float
    left_in_right: float | None  # containment, None when unknown (a copy joined through another copy)
    right_in_left: float | None
    shared_words: int
    anchor: str = ""  # the side-by-side view's id, "" when the view was left out
    home: int = -1  # the event whose section holds the view
    titles: tuple[str, str] = ("", "")  # of the left and right stories, for the reuse table


@dataclass
class Side:
    row: StoryRow
    pieces: list[Piece]


@dataclass
class PairView:
    pair: Pair
    left: Side
    right: Side
    passages: int
    passage_words: int


@dataclass
class CopyGroup:
    original: StoryRow
    copies: list[tuple[StoryRow, Pair]]


@dataclass
class EventSection:
    event_id: int
    anchor: str
    label: str
    when: str
    stories: int
    listed: bool  # False when the story limit left its rows out
    groups: list[CopyGroup] = field(default_factory=list)
    alone: list[StoryRow] = field(default_factory=list)
    reuse: list[Pair] = field(default_factory=list)
    views: list[PairView] = field(default_factory=list)


@dataclass
class Report:
    generated: str
    version: str
    summary: list[tuple[str, str]]
    thresholds: str
    timeline: TimelinePicture
    events: list[EventSection]
    problems: list[tuple[str, str]]
    left_out: list[str]
    open_all: bool


def when_words(start: dt.date | None, end: dt.date | None) -> str:
    return date_range_label(start, end or start) if start is not None else "no date"


def time_order(events) -> list[Event]:
    """Dated events by date, then undated ones (as the timeline puts them apart)."""
    return sorted(events, key=lambda e: (e.start is None, e.start or dt.date.min, e.end or dt.date.min,
                                         e.event_id))


def story_row(result: ScanResult, story: Story) -> StoryRow:
    doc = result.document(story.doc_id)
    date = f"{story.published.day} {story.published:%b %Y}" if story.published else "no date"
    edited = ", ".join(result.edits.get(story.story_id, ()))
    return StoryRow(story.story_id, story.title or story.story_id, story.source or "unknown source", date,
                    doc.path, story.words, story.boilerplate_words, edited)


def _oriented(result: ScanResult, rel: Relation) -> Pair:
    """A reuse pair with the earlier story (else the relation's first) on the left."""
    a, b = result.story(rel.story_a), result.story(rel.story_b)
    flip = b.published is not None and (a.published is None or b.published < a.published)
    left, right = (b, a) if flip else (a, b)
    a_in_b, b_in_a = rel.containment_a_in_b, rel.containment_b_in_a
    return Pair(left.story_id, right.story_id, RELATION_WORDS.get(rel.kind, rel.kind), rel.kind, rel.jaccard,
                b_in_a if flip else a_in_b, a_in_b if flip else b_in_a, rel.shared_words,
                titles=(left.title or left.story_id, right.title or right.story_id))


def _copy_pair(relations: dict, original: str, copy: str, score: tuple[str, float, float]) -> Pair:
    kind, jaccard, contained = score
    rel = relations.get(frozenset((original, copy)))
    if rel is None:  # joined through another copy: only the group's own scores are known
        return Pair(original, copy, RELATION_WORDS.get(kind, kind), kind, jaccard, None, contained, 0)
    orig_in_copy = rel.containment_a_in_b if rel.story_a == original else rel.containment_b_in_a
    return Pair(original, copy, RELATION_WORDS.get(kind, kind), kind, jaccard, orig_in_copy, contained,
                rel.shared_words)


class _Scan:
    """Lookups over one result, built once per report."""

    def __init__(self, result: ScanResult, chosen: list[Event]) -> None:
        self.result = result
        self.relations = {frozenset((r.story_a, r.story_b)): r for r in result.relations}
        self.group_of = {sid: g for g in result.groups for sid in g.members}
        self.position = {e.event_id: i for i, e in enumerate(chosen)}
        self.event_of = {sid: e.event_id for e in chosen for sid in e.story_ids}
        self.reuse_of: dict[str, list[Relation]] = {}
        for r in result.relations:
            if r.kind == "partial_reuse":
                self.reuse_of.setdefault(r.story_a, []).append(r)
                self.reuse_of.setdefault(r.story_b, []).append(r)

    def home(self, pair: Pair) -> int:
        """The first event of the report that holds either story."""
        held = [self.event_of[s] for s in (pair.left, pair.right) if s in self.event_of]
        return min(held, key=self.position.__getitem__)


def _section(scan: _Scan, event: Event, listed: bool, pairs: dict[frozenset, Pair]) -> EventSection:
    result = scan.result
    when = when_words(event.start, event.end)
    section = EventSection(event.event_id, f"event-{event.event_id}", event.label, when, len(event.story_ids),
                           listed)
    if not listed:
        return section
    inside = set(event.story_ids)
    seen_groups: set[int] = set()
    for sid in event.story_ids:
        group = scan.group_of[sid]
        if group.group_id in seen_groups:
            continue
        seen_groups.add(group.group_id)
        if len(group.members) == 1:
            section.alone.append(story_row(result, result.story(sid)))
            continue
        copies = []
        for member, score in zip(group.members[1:], group.scores[1:]):
            if member in inside:
                pair = pairs.setdefault(frozenset((group.canonical, member)),
                                        _copy_pair(scan.relations, group.canonical, member, score))
                copies.append((story_row(result, result.story(member)), pair))
        section.groups.append(CopyGroup(story_row(result, result.story(group.canonical)), copies))
    shown = {frozenset((g.original.story_id, row.story_id)) for g in section.groups for row, _p in g.copies}
    for sid in event.story_ids:
        for rel in scan.reuse_of.get(sid, ()):
            key = frozenset((rel.story_a, rel.story_b))
            if key not in shown:  # a copy already listed under its group, or the pair seen from its other story
                shown.add(key)
                section.reuse.append(pairs.setdefault(key, _oriented(result, rel)))
    return section


def _choose_views(scan: _Scan, pairs: list[Pair], limits: ReportLimits) -> tuple[list[Pair], int]:
    """The pairs that get a side-by-side view within the limits, and how many were left out."""
    result = scan.result

    def size(p: Pair) -> int:
        return sum(s.end - s.start for s in (result.story(p.left), result.story(p.right)))

    chosen: list[Pair] = []
    characters = 0
    for p in sorted(pairs, key=lambda p: (VIEW_PRIORITY.get(p.kind, 2), -p.shared_words, -p.jaccard)):
        if len(chosen) < limits.pair_views and characters + size(p) <= limits.pair_characters:
            chosen.append(p)
            characters += size(p)
    return chosen, len(pairs) - len(chosen)


def _view(result: ScanResult, pair: Pair) -> PairView:
    a, b = result.story(pair.left), result.story(pair.right)
    passages = [p for p in shared_passages(result, a, b) if not p.stock]  # stock phrasing is not reuse
    sides = []
    for story, spans in ((a, [(p.a_start, p.a_end) for p in passages]),
                         (b, [(p.b_start, p.b_end) for p in passages])):
        text = result.document(story.doc_id).text
        cut = pieces(text, story.start, story.end, story.boilerplate, spans)
        sides.append(Side(story_row(result, story), cut))
    return PairView(pair, sides[0], sides[1], len(passages), sum(p.words for p in passages))


def _summary(result: ScanResult, chosen: list[Event], sections: list[EventSection], folders: list[str]) -> list:
    stories = {sid for e in chosen for sid in e.story_ids}
    groups = [g for g in result.groups if len(g.members) > 1 and stories & set(g.members)]
    reuse = {(p.left, p.right) for s in sections for p in s.reuse if p.kind == "partial_reuse"}
    files = Counter(f.status.value for f in result.files)
    events = f"{len(chosen):,}"
    if len(chosen) < len(result.events):
        events += f" (selected, of {len(result.events):,})"
    copies = sum(len(g.members) - 1 for g in groups)
    skipped = f" ({files['skipped']:,} other files skipped)" if files["skipped"] else ""
    return [
        ("Folders", "; ".join(folders) or "none"),
        ("Files read", f"{files['read']:,}{skipped}"),
        ("Stories", f"{len(stories):,}"),
        ("Events", events),
        ("Copy groups", f"{len(groups):,}, holding {_count(copies, 'copy', 'copies')}"
         if groups else "none"),
        ("Partial reuse", (f"{_count(len(reuse), 'pair')} of stories" if reuse else "none")
         + ("" if all(s.listed for s in sections) else " in the listed events")),
        ("Problems", f"{_count(len(result.problems), 'file')} could not be read (listed below)"
         if result.problems else "none"),
    ]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _thresholds(result: ScanResult) -> str:
    dup = result.settings.get("duplicates", {})
    events = result.settings.get("events", {})
    parts = []
    if dup:
        parts.append(f"near-duplicate: Jaccard ≥ {dup.get('near_duplicate_jaccard', 0):.2f}")
        parts.append(f"partial reuse: containment ≥ {dup.get('partial_reuse_containment', 0):.2f}")
    if events.get("window_days") is not None:
        parts.append(f"an event's dated stories lie within {events['window_days']} days")
    return " · ".join(parts)


def _left_out(result: ScanResult, sections: list[EventSection], views: int, dropped: int,
              limits: ReportLimits) -> list[str]:
    """What the limits kept out of the report, in words for its summary."""
    notes = []
    unlisted = [s for s in sections if not s.listed]
    if unlisted:
        notes.append(f"The stories of {len(unlisted):,} events (of {sum(s.stories for s in unlisted):,} stories) "
                     f"are not listed: the report lists {limits.story_rows:,} stories at most. Their events "
                     "are named with their dates; the CSV export lists every story.")
    if dropped:
        notes.append(f"{dropped:,} related pairs are listed with their scores but not shown side by side: "
                     f"the report shows {views:,} pairs' texts, the rewrites and closest copies first.")
    if len(result.problems) > limits.problem_rows:
        notes.append(f"The first {limits.problem_rows:,} of the {len(result.problems):,} files that could not be "
                     "read are listed.")
    return notes


def report_contents(result: ScanResult, folders: list[str] | None = None, event_ids=None,
                    limits: ReportLimits = ReportLimits(), now: dt.datetime | None = None) -> Report:
    """What the report shows: every event of ``result``, or those in ``event_ids``."""
    chosen = time_order(e for e in result.events if event_ids is None or e.event_id in event_ids)
    scan = _Scan(result, chosen)
    pairs: dict[frozenset, Pair] = {}
    sections, rows = [], 0
    for event in chosen:
        listed = rows + len(event.story_ids) <= limits.story_rows
        rows += len(event.story_ids) if listed else 0
        sections.append(_section(scan, event, listed, pairs))
    views, dropped = _choose_views(scan, list(pairs.values()), limits)
    by_event = {s.event_id: s for s in sections}
    for n, pair in enumerate(sorted(views, key=lambda p: (scan.position[scan.home(p)], p.left, p.right))):
        pair.anchor, pair.home = f"pair-{n + 1}", scan.home(pair)
        by_event[pair.home].views.append(_view(result, pair))
    folders = folders if folders is not None else sorted({d.root for d in result.documents})
    now = now or dt.datetime.now(dt.UTC)
    when = {e.event_id: when_words(e.start, e.end) for e in chosen}
    return Report(generated=f"{now:%Y-%m-%d %H:%M} UTC", version=__version__,
                  summary=_summary(result, chosen, sections, folders), thresholds=_thresholds(result),
                  timeline=timeline_picture(chosen, when), events=sections,
                  problems=[(p.path, p.reason) for p in result.problems[:limits.problem_rows]],
                  left_out=_left_out(result, sections, len(views), dropped, limits),
                  open_all=len(sections) + len(views) <= limits.open_below)
