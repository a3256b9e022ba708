"""The application core without Qt: a session scans, scores, regroups and applies decisions in order,
keeps the folder set honest when a scan is cancelled, and undoes and redoes decisions in a real workspace.

The view here runs each job at once (the window runs them on a worker); ``held`` jobs wait until the test
finishes or cancels them, as a user's Cancel would.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from newsdedup.corrections.decisions import NotSameEvent
from newsdedup.model import finish
from newsdedup.session import Job, NeedsWorkspace, Session

A = "000_8d0c082b0df052da.txt#0"
B = "001_290fdad124de14e5.txt#0"


class Desk:
    """A view that runs every job to its end at once, unless told to hold the next ones."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.shown: list = []
        self.scores: list = []
        self.hold = False
        self.held: list[Job] = []

    def run(self, job: Job | None) -> None:
        if job is None:
            return
        self.ran.append(job.kind)
        if self.hold:
            self.held.append(job)
            return
        try:
            value = finish(job.stage())
        except Exception:
            job.stopped()
            raise
        job.done(value)

    def finish_held(self) -> None:
        self.hold = False
        while self.held:
            job = self.held.pop(0)
            job.done(finish(job.stage()))

    def cancel_held(self) -> None:
        while self.held:
            self.held.pop(0).stopped()

    def result_changed(self, result) -> None:
        self.shown.append(result)

    def scores_changed(self, scores) -> None:
        self.scores.append(scores)

    def search_changed(self, search) -> None:
        self.search = search


def _event_of(result, story_id):
    return next(e for e in result.events if story_id in e.story_ids)


@pytest.fixture
def desk_view():
    return Desk()


def test_a_scan_is_shown_then_its_pairs_are_scored(seeds_dir, desk_view):
    session = Session(desk_view)
    session.add_paths([seeds_dir])
    assert desk_view.ran == ["scan", "score", "index"]  # the words for the filter last
    assert len(session.result.stories) == 6 and desk_view.shown[-1] is session.result
    assert session.similarities is not None and desk_view.scores[-1] is session.similarities
    assert session.scanned == [seeds_dir] and not session.busy()
    assert desk_view.search is session.search
    result = session.result
    holding = {s.story_id for s in result.stories if "eastward" in result.story_text(s).lower()}
    assert len(holding) >= 2 and session.search.matching("eastward") == holding
    assert session.search.matching("EASTWARD front") == session.search.matching("eastward")
    assert session.search.matching("xyzzy") == set()


def test_moved_thresholds_regroup_without_reading_a_file(tmp_path, seeds_dir, desk_view):
    folder = tmp_path / "desk"
    shutil.copytree(seeds_dir, folder)
    session = Session(desk_view)
    session.add_paths([folder])
    before = session.result
    assert any(r.kind == "partial_reuse" for r in before.relations)
    shutil.rmtree(folder)  # nothing may need the files now
    stricter = dataclasses.replace(session.settings.duplicates, partial_reuse_containment=0.95)
    session.set_thresholds(stricter, session.settings.events)
    assert desk_view.ran[-1] == "regroup"
    assert session.result is not before and session.result.problems == before.problems
    assert not any(r.kind == "partial_reuse" for r in session.result.relations)


def test_a_cancelled_add_leaves_the_folder_set_as_it_was(tmp_path, seeds_dir, desk_view):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Storms closed the coast road for a week, the mayor said. " * 5, encoding="utf-8")
    session = Session(desk_view)
    session.add_paths([seeds_dir])
    shown = session.result
    desk_view.hold = True
    session.add_paths([other])
    assert session.paths == [seeds_dir, other] and session.scanning()
    desk_view.cancel_held()
    assert session.paths == [seeds_dir] and session.result is shown and not session.busy()


def test_removing_a_folder_scans_what_is_left(tmp_path, seeds_dir, desk_view):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Storms closed the coast road for a week, the mayor said. " * 5, encoding="utf-8")
    session = Session(desk_view)
    session.add_paths([seeds_dir, other])
    assert len(session.result.stories) == 7
    session.remove_path(other)
    assert session.paths == [seeds_dir] and len(session.result.stories) == 6
    session.remove_path(seeds_dir)
    assert session.paths == [] and session.result is None and desk_view.shown[-1] is None


def test_decisions_need_a_workspace_then_undo_and_redo_in_it(tmp_path, seeds_dir, desk_view):
    session = Session(desk_view)
    session.add_paths([seeds_dir])
    with pytest.raises(NeedsWorkspace):
        session.decide(NotSameEvent(A, B), "Not the same event")
    session.new_workspace(tmp_path / "desk.newsdedup")
    assert session.workspace.path.is_file() and _event_of(session.result, A) == _event_of(session.result, B)
    session.decide(NotSameEvent(A, B), "Not the same event")
    assert _event_of(session.result, A) != _event_of(session.result, B)
    assert session.undo_text() == "Not the same event" and session.redo_text() == ""
    session.undo()
    assert _event_of(session.result, A) == _event_of(session.result, B) and session.workspace.decisions() == []
    session.redo()
    assert len(session.workspace.decisions()) == 1 and _event_of(session.result, A) != _event_of(session.result, B)
    session.close()

    again = Session(Desk())
    again.open_workspace(tmp_path / "desk.newsdedup")
    assert again.paths == [seeds_dir]
    assert _event_of(again.result, A) != _event_of(again.result, B)  # the saved result, decided
    again.close()


def test_a_decision_during_a_scan_is_applied_when_the_scan_ends(tmp_path, seeds_dir, desk_view):
    session = Session(desk_view)
    session.add_paths([seeds_dir])
    session.new_workspace(tmp_path / "busy.newsdedup")
    desk_view.hold = True
    session.scan()
    session.decide(NotSameEvent(A, B), "Not the same event")
    assert session.pending and desk_view.ran[-1] == "scan"  # the scan goes on
    desk_view.finish_held()
    assert desk_view.ran[-2:] == ["decisions", "score"]  # the same stories: their words are read already
    assert _event_of(session.result, A) != _event_of(session.result, B) and session.similarities is not None
    session.close()
