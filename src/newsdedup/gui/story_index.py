"""Lookups the results tree makes per row, built once per result: which group and event hold a story,
how a story relates to others (copy of, built on, source of), its tooltip, and what the filter searches
until the word index of the texts (``search.SearchIndex``, made by a job) arrives."""

from __future__ import annotations

import datetime as dt

import numpy as np

from newsdedup.model import Event, ScanResult
from newsdedup.search import SearchIndex

RELATION_WORDS = {"canonical": "likely original", "exact": "exact copy", "near_duplicate": "near-duplicate",
                  "copy_with_changes": "copy with changes", "partial_reuse": "partial reuse"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: dt.date | None) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else "undated"  # strftime is slow per row


def date_key(d: dt.date | None) -> int:
    return d.toordinal() if d else dt.date.max.toordinal()  # undated sort last


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class StoryIndex:
    def __init__(self, result: ScanResult) -> None:
        self.result = result
        self.groups = {g.group_id: g for g in result.groups}
        self.group_of = {sid: g for g in result.groups for sid in g.members}
        self.event_of_story = {sid: e for e in result.events for sid in e.story_ids}
        self.events = {e.event_id: e for e in result.events}
        # partial reuse, both ways: the story whose text sits inside the other is the source
        self.built_on: dict[str, list[tuple[str, float]]] = {}
        self.source_of: dict[str, list[tuple[str, float]]] = {}
        for r in result.relations:
            if r.kind != "partial_reuse":
                continue
            source, user, inside = ((r.story_a, r.story_b, r.containment_a_in_b)
                                    if r.containment_a_in_b >= r.containment_b_in_a
                                    else (r.story_b, r.story_a, r.containment_b_in_a))
            self.built_on.setdefault(user, []).append((source, inside))
            self.source_of.setdefault(source, []).append((user, inside))
        # lower-cased title, source and file name: the texts are searched only through the word index,
        # never read here (that took 1 s at 2,000 stories and 40 s at 50,000 on the GUI thread)
        docs = result._documents_by_id()
        self._stories = [s.story_id for s in result.stories]
        self._haystack = [f"{s.title}\n{s.source}\n{docs[s.doc_id].path}".lower() for s in result.stories]
        self._labels = [(e.event_id, e.label.lower()) for e in result.events]
        self.row_of = {sid: r for r, sid in enumerate(self._stories)}  # a story's place in the filter's masks
        self._story_event = np.array([e.event_id if (e := self.event_of_story.get(sid)) is not None else -1
                                      for sid in self._stories], dtype=np.int64)

    def event_holding(self, kind: str, ident) -> Event | None:
        if kind == "event":
            return self.events.get(ident)
        if kind == "group":
            g = self.groups.get(ident)
            return self.event_of_story.get(g.canonical) if g is not None else None
        return self.event_of_story.get(ident)

    def copy_groups_in(self, event: Event) -> int:
        return len({self.group_of[s].group_id for s in event.story_ids if len(self.group_of[s].members) > 1})

    def relation_of(self, sid: str) -> tuple[str, float | None]:
        """What the Relation column says of a story, and the score beside it."""
        g = self.group_of[sid]
        if len(g.members) > 1:
            kind, jaccard, _ = g.score_of(sid)
            if sid == g.canonical:
                return "likely original", None
            return f"{RELATION_WORDS.get(kind, kind)}", jaccard
        if sid in self.built_on:
            n = len(self.built_on[sid])
            return ("built on one" if n == 1 else f"built on {n}"), max(c for _s, c in self.built_on[sid])
        if sid in self.source_of:
            n = len(self.source_of[sid])
            return ("source of one" if n == 1 else f"source of {n}"), None
        return "", None

    def _title(self, sid: str) -> str:
        return self.result.story(sid).title or sid

    def tooltip(self, kind: str, payload) -> str:
        """The full title and where it comes from, and how the row relates to others."""
        if kind == "event":
            return f"{payload.label}\n{count(len(payload.story_ids), 'story', 'stories')}"
        if kind == "group":
            return (f"{self._title(payload.canonical)}\n{count(len(payload.members), 'copy', 'copies')} of one text; "
                    "double-click to compare the original with a copy")
        story = self.result.story(payload)
        doc = self.result.document(story.doc_id)
        lines = [story.title or payload, f"{story.source or 'unknown source'} · {day(story.published)} · {doc.path}"]
        g = self.group_of[payload]
        if len(g.members) > 1 and payload != g.canonical:
            lines.append(f"Copy of “{self._title(g.canonical)}”")
        elif len(g.members) > 1:
            lines.append(f"Likely original of {count(len(g.members) - 1, 'copy', 'copies')}")
        for other, inside in self.built_on.get(payload, ()):
            lines.append(f"Built on “{self._title(other)}” ({inside:.0%} of it reused)")
        for other, inside in self.source_of.get(payload, ()):
            lines.append(f"Source of “{self._title(other)}” ({inside:.0%} reused there)")
        if len(lines) > 2:
            lines.append("Double-click to read it side by side")
        return "\n".join(lines)

    def matching(self, needle: str, search: SearchIndex | None = None) -> tuple[np.ndarray, set[int]]:
        """A mask over the stories (in the result's order): those whose title, source, file name or text
        hold ``needle`` (lower case); and the events whose label does. Through the word index when there
        is one, else (titles, sources and file names only) one pass of C-speed ``in`` over lower-cased
        strings made with the lookups."""
        events = {event_id for event_id, label in self._labels if needle in label}
        if search is not None:
            return search.mask(needle), events
        words = needle.split()
        mask = np.fromiter((all(w in hay for w in words) for hay in self._haystack), dtype=bool,
                           count=len(self._haystack))
        return mask, events

    def events_with(self, mask: np.ndarray) -> set[int]:
        """The events holding a story of ``mask``."""
        return set(np.unique(self._story_event[mask]).tolist()) - {-1}

    def other_of_pair(self, sid: str) -> str | None:
        """The story a double-click on ``sid`` compares it with: its group's original (or a copy, for
        the original), else the story it is built on, else one built on it."""
        g = self.group_of[sid]
        if len(g.members) > 1:
            return g.canonical if sid != g.canonical else g.members[1]
        for table in (self.built_on, self.source_of):
            if sid in table:
                return max(table[sid], key=lambda t: t[1])[0]
        return None


