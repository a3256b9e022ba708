"""The user's decisions: stored with ids and times, undone and redone, applied at once, and applied
again by every rescan after the files changed."""

from __future__ import annotations

import shutil

import pytest

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
from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text
from newsdedup.model import finish
from newsdedup.pipeline import apply_decisions, scan
from newsdedup.workspace.rescan import RescanCounts, rescan, run_load, run_rescan
from newsdedup.workspace.store import Workspace, WorkspaceError

WIRE = "003_b2d0903adc2ffcae.txt#0"
COPY = "copy.txt#0"
REPORT = "000_8d0c082b0df052da.txt#0"
REWRITE = "001_290fdad124de14e5.txt#0"
DAVOS = "001_290fdad124de14e5.txt#1"
OTHER = "002_109866a445957986.txt#0"
LATER = "004_f3dada96465da5af.txt#0"


def csv_of(result) -> str:
    return csv_text(CLUSTER_COLUMNS, cluster_rows(result))


def event_of(result, story_id):
    return next(e for e in result.events if story_id in e.story_ids)


def group_of(result, story_id):
    return next(g for g in result.groups if story_id in g.members)


def edited(result, story_id) -> str:
    row = next(r for r in cluster_rows(result) if r["story_id"] == story_id)
    return row["edited"]


@pytest.fixture
def found(desk):
    return scan([desk])


def test_decisions_are_stored_with_ids_and_times_and_undo_and_redo(tmp_path):
    path = tmp_path / "p.newsdedup"
    with Workspace.create(path) as ws:
        a = ws.add_decision(NotDuplicate(WIRE, COPY))
        b = ws.add_decision(RenameEvent(REPORT, "Rutte on Ukraine"))
        assert a.decision_id and b.decision_id > a.decision_id and a.created.endswith("+00:00")
        undone = ws.remove_decision(a.decision_id)
        assert undone == a and ws.decisions() == [b]
        redone = ws.add_decision(undone)
        assert redone == a, "redo brings back the same decision, id and time"
        with pytest.raises(WorkspaceError, match="no decision"):
            ws.remove_decision(9999)
    with Workspace.open(path) as ws:
        assert ws.decisions() == [a, b]


def test_not_a_duplicate_splits_the_group(found):
    assert group_of(found, WIRE) == group_of(found, COPY)
    result = apply_decisions(found, [NotDuplicate(WIRE, COPY)])
    assert group_of(result, WIRE) != group_of(result, COPY)
    assert edited(result, WIRE) == edited(result, COPY) == "not_duplicate"
    assert edited(result, REPORT) == ""
    assert result.relations == found.relations, "the scores stay what they are"


def test_event_decisions(found):
    assert event_of(found, REPORT) == event_of(found, OTHER)
    result = apply_decisions(found, [
        RenameEvent(REPORT, "Rutte on Ukraine"),
        MoveStory.of(found, LATER, REPORT),
        SplitEvent.of(found, (OTHER,)),
        NotSameEvent(REPORT, REWRITE),
    ])
    assert event_of(result, REPORT).label == "Rutte on Ukraine"
    assert LATER in event_of(result, REPORT).story_ids, "moved, though a year later"
    assert OTHER not in event_of(result, REPORT).story_ids
    assert event_of(result, REWRITE) != event_of(result, REPORT)
    assert "moved" in edited(result, LATER) and "split" in edited(result, OTHER)
    assert "renamed" in edited(result, REPORT) and "not_same_event" in edited(result, REWRITE)
    merged = apply_decisions(found, [MergeEvents(DAVOS, LATER), SameEvent((REPORT, DAVOS))])
    assert event_of(merged, DAVOS) == event_of(merged, LATER) == event_of(merged, REPORT)
    assert edited(merged, LATER) == "merged" and edited(merged, DAVOS) == "merged;same_event"


def test_a_later_decision_on_the_same_pair_wins(found):
    result = apply_decisions(found, [SameEvent((REPORT, LATER)), NotSameEvent(REPORT, LATER)])
    assert event_of(result, REPORT) != event_of(result, LATER)


def test_boilerplate_decisions_change_what_is_compared(found):
    story = found.story(REPORT)
    doc_text = found.document(story.doc_id).text
    span = next(b for b in story.boilerplate if len(doc_text[b.start:b.end].split()) > 1
                and doc_text[b.start:b.end] not in found.clean_text(story))
    kept = apply_decisions(found, [TextAfterAll.of(found, REPORT, span)])
    after = kept.story(REPORT)
    assert [b.kept for b in after.boilerplate].count(True) == 1
    assert after.boilerplate_words < story.boilerplate_words
    text = doc_text[span.start:span.end]
    assert text in kept.clean_text(after) and text not in found.clean_text(story)
    assert edited(kept, REPORT) == "text_after_all"
    later = found.story(LATER)
    from newsdedup.stories.paragraphs import paragraphs

    boiler = {(b.start, b.end) for b in later.boilerplate}
    para = [p for p in paragraphs(found.document(later.doc_id).text, later.start, later.end)
            if (p.start, p.end) not in boiler][-2]
    marked = apply_decisions(found, [AlwaysBoilerplate.of(found, LATER, para.start, para.end)])
    assert marked.story(LATER).boilerplate_words > later.boilerplate_words
    assert "always_boilerplate" in edited(marked, LATER)


def test_undoing_every_decision_gives_back_the_result_as_found(found):
    decisions = [NotDuplicate(WIRE, COPY), RenameEvent(REPORT, "x"),
                 TextAfterAll.of(found, REPORT, found.story(REPORT).boilerplate[0])]
    applied = apply_decisions(found, decisions)
    assert csv_of(applied) != csv_of(found)
    assert csv_of(apply_decisions(applied, [])) == csv_of(found)
    assert apply_decisions(applied, []).stories == found.stories


def test_decisions_survive_a_rescan_after_files_changed(tmp_path, desk, seeds_dir):
    path = tmp_path / "p.newsdedup"
    found = rescan(path, [desk])
    span = found.story(REPORT).boilerplate[0]
    with Workspace.open(path) as ws:
        for d in (NotDuplicate(WIRE, COPY), RenameEvent(REPORT, "Rutte on Ukraine"),
                  MoveStory.of(found, LATER, REPORT), TextAfterAll.of(found, REPORT, span)):
            ws.add_decision(d)
        decisions = ws.decisions()
    report = desk / "000_8d0c082b0df052da.txt"
    report.write_text("Filed from the desk.\n\n" + report.read_text(encoding="utf-8"), encoding="utf-8")
    (desk / "002_109866a445957986.txt").unlink()
    shutil.copy(seeds_dir / "001_290fdad124de14e5.txt", desk / "another.txt")
    counts = RescanCounts()
    result = rescan(path, counts=counts)
    assert (counts.changed, counts.added, counts.removed) == (1, 1, 1)
    assert group_of(result, WIRE) != group_of(result, COPY)
    assert event_of(result, REPORT).label == "Rutte on Ukraine"
    assert LATER in event_of(result, REPORT).story_ids
    moved_span = next(b for b in result.story(REPORT).boilerplate if b.kept)
    assert moved_span.start != span.start, "found again by its text after the offsets moved"
    assert csv_of(result) == csv_of(apply_decisions(scan([desk]), decisions))
    with Workspace.open(path) as ws:
        assert csv_of(ws.load()) == csv_of(result)
        assert ws.decisions() == decisions


def test_a_decision_added_after_a_scan_is_applied_by_the_next_rescan_without_reading(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    with Workspace.open(path) as ws:
        ws.add_decision(NotDuplicate(WIRE, COPY))
    counts = RescanCounts()
    result = rescan(path, counts=counts)
    assert counts.files_opened == 0 and counts.documents_read == 0
    assert group_of(result, WIRE) != group_of(result, COPY)


def test_save_result_keeps_what_apply_decisions_made(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    found = rescan(path, [desk])
    with Workspace.open(path) as ws:
        d = ws.add_decision(TextAfterAll.of(found, REPORT, found.story(REPORT).boilerplate[0]))
        shown = apply_decisions(found, ws.decisions())
        ws.save_result(shown)
    with Workspace.open(path) as ws:
        assert csv_of(ws.load()) == csv_of(shown)
        ws.remove_decision(d.decision_id)
        undone = apply_decisions(ws.load(), ws.decisions())
        ws.save_result(undone)
    with Workspace.open(path) as ws:
        assert csv_of(ws.load()) == csv_of(found)
    counts = RescanCounts()
    assert csv_of(rescan(path, counts=counts)) == csv_of(found)


def test_a_decision_made_while_a_rescan_runs_is_applied_by_the_next_one(tmp_path, desk, seeds_dir):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", desk / "new.txt")
    gen = run_rescan(path)
    for p in gen:
        if p.stage == "read":
            break
    with Workspace.open(path) as window:  # the window's own connection, on its own thread in the app
        window.add_decision(NotDuplicate(WIRE, COPY))
    during = finish(gen)
    assert group_of(during, WIRE) == group_of(during, COPY), "the running scan read the decisions before"
    after = rescan(path)
    assert group_of(after, WIRE) != group_of(after, COPY)


def test_run_load_gives_the_saved_result_for_a_worker(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    Workspace.create(path).close()
    assert finish(run_load(path)) is None, "a new workspace has no result yet"
    found = rescan(path, [desk])
    assert csv_of(finish(run_load(path))) == csv_of(found)
