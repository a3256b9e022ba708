"""A rescan redoes only what the changes reach: an outlet's sign-off counted again is not a new story text,
the outlet pass's paragraphs are made only for changed stories, and the result is still a fresh scan's."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdedup.model import BoilerplateSpan
from newsdedup.pipeline import scan
from newsdedup.stories.boilerplate import REPEATED_ACROSS_OUTLET
from newsdedup.workspace.rescan import RescanCounts, rescan
from newsdedup.workspace.store import Workspace

SIGN_OFF = "Follow the harbour desk for more local reporting, and send us your tips by post or telephone."
TOPICS = [
    ("Ferry fares rise", "The island ferry company raised its fares for the summer season after fuel costs "
     "climbed. Commuters from the northern villages said the new tickets would cost them a week's groceries."),
    ("Library reopens", "The old library on Mill Street opened its doors again after two years of repairs "
     "to its roof. Volunteers carried eleven thousand books back onto the restored oak shelves."),
    ("Fishing quota cut", "Trawler owners protested outside the council chamber against a smaller cod quota. "
     "Scientists had warned that spawning stocks in the bay fell sharply during the last decade."),
    ("School choir wins", "Forty pupils from the primary school won the regional choir contest with a "
     "medieval carol. Their teacher rehearsed with them every lunch break since early September."),
    ("Bridge closed", "Engineers closed the swing bridge after cracks appeared in a steel girder near the "
     "eastern pier. Lorries must now drive twenty miles around the estuary through the market town."),
    ("Storm damage", "Gales tore slates from dozens of cottages along the seafront overnight and toppled "
     "an elm onto the bowling green. Insurers opened a hotline for householders counting the cost."),
    ("Bakery award", "A family bakery near the lighthouse won a national prize for its rye sourdough. "
     "The owners credited a starter culture their grandmother brought from Gdansk in 1962."),
]


@pytest.fixture
def harbour(tmp_path) -> Path:
    """Seven different stories of one outlet, each ending with the outlet's sign-off."""
    folder = tmp_path / "harbour"
    folder.mkdir()
    for n, (title, text) in enumerate(TOPICS):
        (folder / f"{n}.txt").write_text(f"{title}\n\n{text}\n\n{SIGN_OFF}\n", encoding="utf-8")
    return folder


def signed_off(result) -> dict[str, BoilerplateSpan]:
    return {s.story_id: b for s in result.stories for b in s.boilerplate if b.kind == REPEATED_ACROSS_OUTLET}


def test_a_removed_file_moves_the_sign_offs_count_not_the_story_texts(tmp_path, harbour):
    path = tmp_path / "h.newsdedup"
    first = rescan(path, [harbour])
    assert {b.support for b in signed_off(first).values()} == {7}, "the sign-off is the outlet's boilerplate"
    (harbour / "3.txt").unlink()
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    fresh = scan([harbour])
    assert signed_off(again) == signed_off(fresh) and {b.support for b in signed_off(again).values()} == {6}
    assert [s.boilerplate for s in again.stories] == [s.boilerplate for s in fresh.stories]
    assert counts.stories_fingerprinted == 0, "every story reads as before: no signature made again"
    assert counts.stories_paragraphed == 0
    with Workspace.open(path) as ws:
        assert signed_off(ws.load()) == signed_off(fresh), "the new counts were saved"


def test_an_edited_file_is_the_only_story_whose_paragraphs_are_made_again(tmp_path, harbour):
    path = tmp_path / "h.newsdedup"
    counts = RescanCounts()
    rescan(path, [harbour], counts=counts)
    assert counts.stories_paragraphed == len(TOPICS)
    edited = harbour / "5.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nCorrection: the elm was an ash.\n", encoding="utf-8")
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.stories_paragraphed == 1 and counts.stories_fingerprinted == 1
    fresh = scan([harbour])
    assert [(s.story_id, s.boilerplate, s.title) for s in again.stories] == [
        (s.story_id, s.boilerplate, s.title) for s in fresh.stories]
    assert {frozenset(g.members) for g in again.groups} == {frozenset(g.members) for g in fresh.groups}


def test_a_workspace_of_the_last_schema_makes_the_paragraphs_once_then_reuses_them(tmp_path, harbour):
    path = tmp_path / "h.newsdedup"
    rescan(path, [harbour])
    with Workspace.open(path) as ws, ws.transaction() as conn:
        conn.execute("UPDATE stories SET paragraphs = NULL")  # as a workspace written before they were kept
    (harbour / "0.txt").write_text((harbour / "0.txt").read_text(encoding="utf-8") + "\nUpdated.\n",
                                   encoding="utf-8")
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.stories_paragraphed == len(TOPICS) and counts.stories_fingerprinted == 1
    assert signed_off(again) == signed_off(scan([harbour]))
    (harbour / "1.txt").write_text((harbour / "1.txt").read_text(encoding="utf-8") + "\nUpdated.\n",
                                   encoding="utf-8")
    counts = RescanCounts()
    rescan(path, counts=counts)
    assert counts.stories_paragraphed == 1


def test_stories_whose_dateline_names_an_agency_count_for_their_files_outlet_in_a_rescan(tmp_path, harbour):
    """The outlet pass counts a story for the outlet of its file, as a scan does, also when the story is
    reused from the workspace with the agency its dateline names as its outlet."""
    for n in (0, 1, 2):
        f = harbour / f"{n}.txt"
        title, rest = f.read_text(encoding="utf-8").split("\n\n", 1)
        f.write_text(f"{title}\n\nLONDON (Reuters) - {rest}", encoding="utf-8")
    path = tmp_path / "h.newsdedup"
    first = rescan(path, [harbour])
    assert {s.source for s in first.stories} == {"Reuters", "harbour"}, "the datelines named the agency"
    edited = harbour / "6.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nUpdated at noon.\n", encoding="utf-8")
    again = rescan(path)
    assert signed_off(again) == signed_off(scan([harbour])) and len(signed_off(again)) == len(TOPICS)


def events_of(result) -> set:
    return {(frozenset(e.story_ids), e.label) for e in result.events}


def test_an_edited_story_is_the_only_one_whose_shingles_and_words_are_made_again(tmp_path, harbour):
    """A rescan reads the shingle sets and the events' bags of words of unchanged stories from the
    workspace, and finds what a fresh scan finds."""
    path = tmp_path / "h.newsdedup"
    counts = RescanCounts()
    rescan(path, [harbour], counts=counts)
    assert counts.stories_shingled == len(TOPICS) and counts.words_counted == len(TOPICS)
    assert counts.words_looked_up > 100, "every word's frequency in general English looked up once"
    edited = harbour / "2.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("cod quota", "cod and haddock quota"),
                      encoding="utf-8")
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.stories_shingled == 1 and counts.words_counted == 1
    assert counts.words_looked_up == 1, "of the edited story's words only 'haddock' is new to the workspace"
    fresh = scan([harbour])
    assert events_of(again) == events_of(fresh)
    assert {frozenset(g.members) for g in again.groups} == {frozenset(g.members) for g in fresh.groups}
    assert [r.jaccard for r in again.relations] == [r.jaccard for r in fresh.relations]


def test_a_workspace_without_saved_shingles_or_words_makes_them_once_then_reuses_them(tmp_path, harbour):
    path = tmp_path / "h.newsdedup"
    rescan(path, [harbour])
    with Workspace.open(path) as ws, ws.transaction() as conn:  # as a workspace of schema 4, migrated
        conn.execute("UPDATE stories SET shingles = NULL")
        conn.execute("DELETE FROM event_words")
        conn.execute("DELETE FROM word_frequencies")
    (harbour / "0.txt").write_text((harbour / "0.txt").read_text(encoding="utf-8") + "\nUpdated.\n",
                                   encoding="utf-8")
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.stories_shingled == len(TOPICS) and counts.words_counted == len(TOPICS)
    assert events_of(again) == events_of(scan([harbour]))
    (harbour / "1.txt").write_text((harbour / "1.txt").read_text(encoding="utf-8") + "\nUpdated.\n",
                                   encoding="utf-8")
    counts = RescanCounts()
    rescan(path, counts=counts)
    assert counts.stories_shingled == 1 and counts.words_counted == 1 and counts.words_looked_up == 0
