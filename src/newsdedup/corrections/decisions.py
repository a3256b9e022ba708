"""The user's decisions: corrections a person makes to what a scan found, kept in the workspace.

Every decision names stories by ``story_id`` (and an outlet by its name), never an event or group number:
event and group numbers are given afresh by every scan, story ids are paths and stay. So "rename this
event" attaches to the event that holds an anchor story, "move" and "merge" name a story of the event
they mean, and a decision keeps its meaning after a rescan of changed files. A decision whose stories are
gone (their files removed) does nothing until they come back; it is not deleted.

Kinds (each a frozen dataclass; ``decision_id`` and ``created`` are set by ``Workspace.add_decision``):

- ``NotDuplicate(story_a, story_b)``: never in one duplicate group (cannot-link for grouping);
- ``SameEvent(story_ids)`` / ``NotSameEvent(story_a, story_b)``: must-link / cannot-link for events;
- ``MoveStory(story_id, to_story, away_from)``: into the event of ``to_story``, apart from the stories
  of the event it was in (``MoveStory.of`` fills ``away_from`` from a result);
- ``MergeEvents(story_a, story_b)``: the events holding the two stories become one;
- ``SplitEvent(story_ids, rest)``: ``story_ids`` leave their event and form one of their own
  (``SplitEvent.of`` fills ``rest``);
- ``RenameEvent(story_id, label)``: the label of the event holding ``story_id``;
- ``TextAfterAll(story_id, start, end, text)``: a boilerplate passage of a story is story text; ``text``
  (normalised) finds it again if the file is edited and the offsets move;
- ``AlwaysBoilerplate(outlet, text)``: a passage (normalised text) is boilerplate in every story of an
  outlet that carries it as a paragraph.

``EDIT_WORDS`` gives each kind the word the cluster CSV's ``edited`` column and the GUI show.
``to_record``/``from_record`` turn a decision into (kind, JSON payload) for storage and back.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from newsdedup.model import BoilerplateSpan, ScanResult


@dataclass(frozen=True, kw_only=True)
class Decision:
    decision_id: int = 0  # 0 until stored
    created: str = ""  # ISO 8601 UTC time it was stored


@dataclass(frozen=True)
class NotDuplicate(Decision):
    story_a: str
    story_b: str


@dataclass(frozen=True)
class SameEvent(Decision):
    story_ids: tuple[str, ...]


@dataclass(frozen=True)
class NotSameEvent(Decision):
    story_a: str
    story_b: str


@dataclass(frozen=True)
class MoveStory(Decision):
    story_id: str
    to_story: str  # any story of the event it goes to
    away_from: tuple[str, ...] = ()  # the other stories of the event it leaves

    @classmethod
    def of(cls, result: ScanResult, story_id: str, to_story: str) -> MoveStory:
        here = _event_of(result, story_id)
        return cls(story_id, to_story, tuple(s for s in here if s != story_id))


@dataclass(frozen=True)
class MergeEvents(Decision):
    story_a: str  # any story of the one event
    story_b: str  # any story of the other


@dataclass(frozen=True)
class SplitEvent(Decision):
    story_ids: tuple[str, ...]  # the stories that form an event of their own
    rest: tuple[str, ...] = ()  # the stories that stay where they were

    @classmethod
    def of(cls, result: ScanResult, story_ids: tuple[str, ...]) -> SplitEvent:
        here = _event_of(result, story_ids[0])
        return cls(tuple(story_ids), tuple(s for s in here if s not in set(story_ids)))


@dataclass(frozen=True)
class RenameEvent(Decision):
    story_id: str  # the anchor: the event holding this story gets the label
    label: str


@dataclass(frozen=True)
class TextAfterAll(Decision):
    story_id: str
    start: int  # offsets in the document's text when the decision was made
    end: int
    text: str = ""  # the passage, normalised, to find it again when the offsets no longer fit

    @classmethod
    def of(cls, result: ScanResult, story_id: str, span: BoilerplateSpan) -> TextAfterAll:
        doc = result.document(result.story(story_id).doc_id)
        return cls(story_id, span.start, span.end, passage_key(doc.text[span.start:span.end]))


@dataclass(frozen=True)
class AlwaysBoilerplate(Decision):
    outlet: str  # a story's source
    text: str  # the passage, normalised (``passage_key``)

    @classmethod
    def of(cls, result: ScanResult, story_id: str, start: int, end: int) -> AlwaysBoilerplate:
        story = result.story(story_id)
        return cls(story.source, passage_key(result.document(story.doc_id).text[start:end]))


KINDS: dict[str, type[Decision]] = {
    "not_duplicate": NotDuplicate, "same_event": SameEvent, "not_same_event": NotSameEvent,
    "move_story": MoveStory, "merge_events": MergeEvents, "split_event": SplitEvent,
    "rename_event": RenameEvent, "text_after_all": TextAfterAll, "always_boilerplate": AlwaysBoilerplate,
}
_KIND_OF = {cls: kind for kind, cls in KINDS.items()}
# what a row of the cluster CSV (and the GUI) says was edited
EDIT_WORDS = {
    NotDuplicate: "not_duplicate", SameEvent: "same_event", NotSameEvent: "not_same_event",
    MoveStory: "moved", MergeEvents: "merged", SplitEvent: "split", RenameEvent: "renamed",
    TextAfterAll: "text_after_all", AlwaysBoilerplate: "always_boilerplate",
}


def passage_key(text: str) -> str:
    """A passage's text as decisions keep it: normalised (case, quotes, dashes), whitespace collapsed."""
    from newsdedup.stories.boilerplate import _key

    return _key(text)


def kind_of(decision: Decision) -> str:
    return _KIND_OF[type(decision)]


def to_record(decision: Decision) -> tuple[str, str]:
    """(kind, JSON payload) of a decision, its id and time left out (they are columns of their own)."""
    payload = {f.name: getattr(decision, f.name) for f in dataclasses.fields(decision)
               if f.name not in ("decision_id", "created")}
    return kind_of(decision), json.dumps(payload, ensure_ascii=False, sort_keys=True)


def from_record(kind: str, payload: str, decision_id: int = 0, created: str = "") -> Decision:
    """The decision back from ``to_record``; raises ValueError for an unknown kind or a bad payload."""
    cls = KINDS.get(kind)
    if cls is None:
        raise ValueError(f"unknown decision kind {kind!r}")
    fields = json.loads(payload)
    if not isinstance(fields, dict):
        raise ValueError(f"bad payload for a {kind} decision")
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    try:
        return cls(**fields, decision_id=decision_id, created=created)
    except TypeError as exc:
        raise ValueError(f"bad payload for a {kind} decision: {exc}") from exc


def _event_of(result: ScanResult, story_id: str) -> tuple[str, ...]:
    for event in result.events:
        if story_id in event.story_ids:
            return event.story_ids
    return ()
