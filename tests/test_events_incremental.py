"""A rescan makes events again only where something changed, and gives the events a fresh scan gives."""

from __future__ import annotations

import pytest

from newsdedup.events.cluster import EventSettings, cluster_events
from newsdedup.events.incremental import Earlier
from newsdedup.model import Event, finish
from newsdedup.pipeline import scan
from newsdedup.workspace import rescan as rescanning
from newsdedup.workspace.rescan import rescan


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
