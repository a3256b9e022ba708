"""The menus that offer the user's corrections, and the questions they ask.

Every correction is a ``decision.Decision`` handed to ``window.decide``; the core session keeps it in the
workspace with its undo history and applies the decisions to the shown result on a worker (no file is
read again). The menus read ``window.result`` and ask through ``window.ask``.

Questions (which event, which label) go through ``Ask``, whose answers tests set beforehand, so no test
waits on a dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from newsdedup.corrections.decisions import (
    AlwaysBoilerplate,
    MergeEvents,
    MoveStory,
    NotDuplicate,
    NotSameEvent,
    RenameEvent,
    SameEvent,
    SplitEvent,
    TextAfterAll,
)
from newsdedup.model import ScanResult

WORDS = {"not_duplicate": "not a duplicate", "same_event": "same event", "not_same_event": "not the same event",
         "moved": "moved to another event", "merged": "events merged", "split": "split from its event",
         "renamed": "event renamed", "text_after_all": "boilerplate kept as text",
         "always_boilerplate": "marked as boilerplate for its outlet"}


def edited_words(words) -> str:
    """What the tree's tooltip says about a story the user's decisions changed."""
    return "Edited by you: " + ", ".join(WORDS.get(w, w) for w in words)


class Ask:
    """Questions to the user; ``answers`` (set by tests) are taken first, in order, instead of a dialog."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.answers: list[str] = []

    def text(self, title: str, label: str, current: str = "") -> str | None:
        if self.answers:
            return self.answers.pop(0)
        text, ok = QInputDialog.getText(self.parent, title, label, text=current)
        return text.strip() if ok and text.strip() else None

    def choice(self, title: str, label: str, items: list[str]) -> int | None:
        if self.answers:
            answer = self.answers.pop(0)
            return items.index(answer) if answer in items else None
        item, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return items.index(item) if ok and item in items else None


def _other_events(result: ScanResult, story_id: str) -> tuple[list[str], list[str]]:
    """Labels of the events not holding ``story_id`` and, for each, one of its stories."""
    others = [e for e in result.events if story_id not in e.story_ids]
    return [f"{e.label} ({len(e.story_ids)})" for e in others], [e.story_ids[0] for e in others]


def story_menu(menu: QMenu, window, story_id: str, canonical: str | None) -> None:
    """Corrections about one story in the tree; ``canonical`` is its group's original when it is a copy."""
    result = window.result
    if canonical and canonical != story_id:
        menu.addAction("Not a duplicate of its group's original",
                       lambda: window.decide(NotDuplicate(story_id, canonical), "Not a duplicate"))
    menu.addAction("Move story to event…", lambda: move_story(window, story_id))
    if len(next(e.story_ids for e in result.events if story_id in e.story_ids)) > 1:
        menu.addAction("Split into an event of its own",
                       lambda: window.decide(SplitEvent.of(result, (story_id,)), "Split event"))


def event_menu(menu: QMenu, window, story_id: str, label: str) -> None:
    """Corrections about the event holding ``story_id``."""
    menu.addAction("Rename event…", lambda: rename_event(window, story_id, label))
    menu.addAction("Merge with event…", lambda: merge_events(window, story_id))


def pair_menu(menu: QMenu, window, a: str, b: str) -> None:
    menu.addAction("Not a duplicate", lambda: window.decide(NotDuplicate(a, b), "Not a duplicate"))
    menu.addAction("Same event", lambda: window.decide(SameEvent((a, b)), "Same event"))
    menu.addAction("Not the same event", lambda: window.decide(NotSameEvent(a, b), "Not the same event"))


def boilerplate_menu(menu: QMenu, window, story_id: str, offset: int, selected: tuple[int, int] | None) -> None:
    """Corrections about the boilerplate under ``offset`` or the ``selected`` document span."""
    result = window.result
    story = result.story(story_id)
    span = next((b for b in story.boilerplate if b.start <= offset < b.end and not b.kept), None)
    if span is not None:
        menu.addAction("This boilerplate is story text",
                       lambda: window.decide(TextAfterAll.of(result, story_id, span), "Boilerplate is text"))
    if selected is not None and selected[1] > selected[0]:
        outlet = story.source or "this outlet"
        menu.addAction(f"Always boilerplate for {outlet}",
                       lambda: window.decide(AlwaysBoilerplate.of(result, story_id, *selected),
                                              f"Always boilerplate for {outlet}"))


def move_story(window, story_id: str) -> None:
    labels, anchors = _other_events(window.result, story_id)
    k = window.ask.choice("Move story", "Move the story to the event:", labels) if labels else None
    if k is not None:
        window.decide(MoveStory.of(window.result, story_id, anchors[k]), "Move story")


def merge_events(window, story_id: str) -> None:
    labels, anchors = _other_events(window.result, story_id)
    k = window.ask.choice("Merge events", "Merge this event with:", labels) if labels else None
    if k is not None:
        window.decide(MergeEvents(story_id, anchors[k]), "Merge events")


def rename_event(window, story_id: str, label: str) -> None:
    text = window.ask.text("Rename event", "New name of the event:", label)
    if text:
        window.decide(RenameEvent(story_id, text), f"Rename event to “{text}”")
