"""The item models behind the results tree and the Problems panel: Qt-correct, and showing the result."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from newsdedup.gui.models import DATE, ID_ROLE, KIND_ROLE, NAME, SIZE, ResultFilterProxy, ResultTreeModel
from newsdedup.gui.problems import ProblemsModel
from newsdedup.pipeline import scan


@pytest.fixture
def tree_model(seeds_result):
    model = ResultTreeModel()
    model.set_result(seeds_result)
    return model


def _children(model, parent):
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def test_the_tree_model_passes_qtmodeltester(qtmodeltester, tree_model):
    qtmodeltester.check(tree_model, force_py=True)


def test_an_empty_tree_model_passes_qtmodeltester(qtmodeltester):
    qtmodeltester.check(ResultTreeModel(), force_py=True)


def test_the_filtering_proxy_passes_qtmodeltester(qtmodeltester, tree_model):
    proxy = ResultFilterProxy()
    proxy.setSourceModel(tree_model)
    proxy.setFilterFixedString("ukraine")
    proxy.sort(DATE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy, force_py=True)


def _stories_under(model, event):
    """The stories of an event row: right under it, or under a group of copies (a one-story group adds
    no level)."""
    out = []
    for row in _children(model, event):
        if row.data(KIND_ROLE) == "group":
            kids = _children(model, row)
            assert len(kids) > 1  # only copies make a group row
            out += [s.data(ID_ROLE) for s in kids]
        else:
            assert row.data(KIND_ROLE) == "story"
            out.append(row.data(ID_ROLE))
    return out


def test_events_hold_stories_and_groups_of_copies_that_hold_every_story_once(tree_model, seeds_result):
    from PySide6.QtCore import QModelIndex

    events = _children(tree_model, QModelIndex())
    assert [e.data(KIND_ROLE) for e in events] == ["event"] * len(seeds_result.events)
    stories = [sid for e in events for sid in _stories_under(tree_model, e)]
    assert sorted(stories) == sorted(s.story_id for s in seeds_result.stories)
    first = events[0]
    assert first.data() == seeds_result.events[0].label
    n = len(seeds_result.events[0].story_ids)
    assert first.siblingAtColumn(SIZE).data() == (f"{n} stories" if n > 1 else "1 story")


def test_the_filter_keeps_matching_stories_with_their_event_and_group(tree_model, seeds_result):
    from PySide6.QtCore import QModelIndex

    proxy = ResultFilterProxy()
    proxy.setSourceModel(tree_model)
    title = seeds_result.story("004_f3dada96465da5af.txt#0").title
    proxy.setFilterFixedString(title.upper())  # case does not matter
    events = _children(proxy, QModelIndex())
    holding = [e.event_id for e in seeds_result.events
               if any(title in seeds_result.story(s).title for s in e.story_ids)]
    assert [e.data(ID_ROLE) for e in events] == holding
    stories = [sid for e in events for sid in _stories_under(proxy, e)]
    assert "004_f3dada96465da5af.txt#0" in stories
    proxy.setFilterFixedString("no article has this word xyzzy")
    assert proxy.rowCount() == 0


def test_sorting_by_size_puts_the_biggest_event_first(tree_model, seeds_result):
    proxy = ResultFilterProxy()
    proxy.setSourceModel(tree_model)
    proxy.sort(SIZE, Qt.SortOrder.DescendingOrder)
    sizes = [len(e.story_ids) for e in seeds_result.events]
    assert proxy.index(0, NAME).data(ID_ROLE) in [e.event_id for e in seeds_result.events
                                                  if len(e.story_ids) == max(sizes)]
    proxy.sort(NAME, Qt.SortOrder.AscendingOrder)
    labels = [proxy.index(r, NAME).data() for r in range(proxy.rowCount())]
    assert labels == sorted(labels, key=str.lower)


def test_the_problems_model_lists_unreadable_files_and_passes_qtmodeltester(qtmodeltester, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "story.txt").write_text("Floods closed the coast road for a week, the mayor said. " * 4,
                                        encoding="utf-8")
    result = scan([tmp_path])
    model = ProblemsModel()
    model.set_result(result)
    qtmodeltester.check(model, force_py=True)
    rows = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert rows == {"empty.txt": "could not be read", "photo.png": "skipped"}


def test_a_tree_with_edited_rows_passes_qtmodeltester_and_marks_them(qtmodeltester, seeds_result):
    from newsdedup.corrections.decisions import RenameEvent
    from newsdedup.gui.models import EDITED_ROLE
    from newsdedup.pipeline import apply_decisions

    story = "004_f3dada96465da5af.txt#0"
    edited = apply_decisions(seeds_result, [RenameEvent(story, "Rutte in Brussels")])
    model = ResultTreeModel()
    model.set_result(edited)
    qtmodeltester.check(model, force_py=True)
    row = model.index_of("story", story)
    assert row.data(EDITED_ROLE) == ("renamed",) and row.data(Qt.ItemDataRole.FontRole).italic()
    untouched = model.index_of("story", "000_8d0c082b0df052da.txt#0")
    assert untouched.data(EDITED_ROLE) == () and untouched.data(Qt.ItemDataRole.FontRole) is None
