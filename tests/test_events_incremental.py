"""A rescan makes events again only where something changed, and gives the events a fresh scan gives."""

from __future__ import annotations

import pytest

from newsdedup.corrections.decisions import MoveStory, NotSameEvent, RenameEvent
from newsdedup.events.cluster import EventSettings, cluster_events
from newsdedup.events.incremental import Earlier
from newsdedup.model import Event, finish
from newsdedup.pipeline import apply_decisions, scan
from newsdedup.workspace import rescan as rescanning
from newsdedup.workspace.rescan import rescan
from newsdedup.workspace.store import Workspace


def _events(result) -> set[tuple[frozenset[str], str]]:
    return {(frozenset(e.story_ids), e.label) for e in result.events}


@pytest.mark.parametrize("incremental", [False, True])
def test_a_rescan_after_edits_gives_the_events_of_a_fresh_scan(tmp_path, desk, monkeypatch, incremental):
    monkeypatch.setattr(rescanning, "INCREMENTAL_EVENTS", incremental)
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    files = sorted(desk.glob("0*.txt"))
    text = files[1].read_text(encoding="utf-8")
    files[1].write_text(text.replace("NATO", "the alliance", 2) + "\nUpdated with the minister's reply.\n",
                        encoding="utf-8")
    (desk / "copy.txt").write_text((desk / "copy.txt").read_text(encoding="utf-8") + "\nCorrected.\n",
                                   encoding="utf-8")
    again = rescan(path)
    fresh = scan([desk])
    assert _events(again) == _events(fresh)
    assert {frozenset(g.members) for g in again.groups} == {frozenset(g.members) for g in fresh.groups}
    assert len(again.events) == len(first.events)


def test_events_far_from_any_change_stand_as_saved(seeds_result):
    """The saved events of unchanged stories are kept as they were, even where a scan would group them
    otherwise (here: the last scan had put every story in an event of its own), and a changed story is
    grouped again with the events it touches."""
    result = seeds_result
    texts = [result.clean_text(s) for s in result.stories]
    alone = [Event(i, f"saved {i}", None, None, (s.story_id,), ("saved",)) for i, s in enumerate(result.stories)]
    kept = finish(cluster_events(list(result.stories), texts, list(result.groups), EventSettings(),
                                 earlier=Earlier(alone, frozenset())))
    assert sorted(len(e.story_ids) for e in kept) == [1] * len(result.stories)
    biggest = max(result.events, key=lambda e: len(e.story_ids))
    one = biggest.story_ids[0]
    regrouped = finish(cluster_events(list(result.stories), texts, list(result.groups), EventSettings(),
                                      earlier=Earlier(alone, frozenset({one}))))
    event_of = {sid: frozenset(e.story_ids) for e in regrouped for sid in e.story_ids}
    assert len(event_of[one]) > 1, "the changed story found its neighbours and was grouped with them"
    assert event_of[one] <= frozenset(biggest.story_ids)


def _partition(result) -> set[frozenset[str]]:
    return {frozenset(e.story_ids) for e in result.events}


def test_a_story_rewritten_to_report_something_else_leaves_its_saved_event(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    report = "000_8d0c082b0df052da.txt#0"
    assert len(next(e for e in first.events if report in e.story_ids).story_ids) > 1
    (desk / "000_8d0c082b0df052da.txt").write_text(
        "Harbour ferry fares rise for the summer\n\nThe island ferry company raised its fares for the summer "
        "season after fuel costs climbed. Commuters from the northern villages said the new tickets would cost "
        "them a week's groceries, and the harbour master expects fewer day trippers in August.\n",
        encoding="utf-8")
    again = rescan(path)
    assert next(e for e in again.events if report in e.story_ids).story_ids == (report,)
    assert _partition(again) == _partition(scan([desk]))


def test_the_users_event_decisions_hold_in_a_rescan_that_keeps_the_saved_events(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    found = rescan(path, [desk])
    later, report = "004_f3dada96465da5af.txt#0", "000_8d0c082b0df052da.txt#0"
    decisions = [MoveStory.of(found, later, report), RenameEvent(report, "Rutte on Ukraine"),
                 NotSameEvent("001_290fdad124de14e5.txt#0", report)]
    with Workspace.open(path) as ws:
        for d in decisions:
            ws.add_decision(d)
    rescan(path)  # the decisions applied (all events made again: the decisions changed)
    edited = desk / "002_109866a445957986.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThis story was updated.\n", encoding="utf-8")
    again = rescan(path)  # the saved events kept where the edit did not reach
    event = next(e for e in again.events if report in e.story_ids)
    assert later in event.story_ids and event.label == "Rutte on Ukraine"
    assert "001_290fdad124de14e5.txt#0" not in event.story_ids
    assert {(frozenset(e.story_ids), e.label) for e in again.events} == {
        (frozenset(e.story_ids), e.label) for e in apply_decisions(scan([desk]), decisions).events}
