"""Partial reuse rests on text the two stories have of their own; copies are listed against their original."""

from __future__ import annotations

import pytest

from newsdedup.dedup.passages import shared_passages
from newsdedup.dedup.relations import DuplicateSettings, duplicate_groups, find_relations
from newsdedup.model import Story, finish
from newsdedup.pipeline import scan
from newsdedup.signatures import shingle_sets, signatures
from newsdedup.text import words
from newsdedup.workspace.rescan import rescan
from newsdedup.workspace.store import Workspace

FORMULA = ("said it filed a registration statement with the Securities and Exchange Commission covering a "
           "proposed offering of convertible subordinated debentures due 1997 through underwriters led by")
QUOTE = ("the harbour bridge at Lisbon would close for nine days from March three while engineers replace "
         "all one hundred and twelve of its suspension cables")


def _own(k: int, n: int = 30) -> str:
    return " ".join(f"story{k}word{i}" for i in range(n))


@pytest.fixture
def filings(tmp_path):
    """Twelve filings that share one formula sentence, and two reports that share a specific quote."""
    folder = tmp_path / "desk"
    folder.mkdir()
    for k in range(12):
        (folder / f"filing{k:02d}.txt").write_text(f"Company{k} Corp {FORMULA} Bank{k}. {_own(k)}.\n",
                                                      encoding="utf-8")
    (folder / "report-a.txt").write_text(f"{_own(100)}. The minister said {QUOTE}. {_own(101)}.\n",
                                           encoding="utf-8")
    (folder / "report-b.txt").write_text(f"{_own(200)}. Officials confirmed {QUOTE}.\n", encoding="utf-8")
    return folder


def _kinds(result):
    return {frozenset((result.story(r.story_a).doc_id, result.story(r.story_b).doc_id)): r.kind
            for r in result.relations}


def test_a_formula_many_stories_use_is_not_reuse_but_a_specific_quote_is(filings):
    result = scan([filings])
    kinds = _kinds(result)
    # each filing has 20 of its ~45 five-word runs in every other: a containment of 0.4, all of it stock
    assert not any(k == "partial_reuse" for pair, k in kinds.items() if all(p.startswith("filing") for p in pair))
    assert kinds[frozenset(("report-a.txt", "report-b.txt"))] == "partial_reuse"


def test_the_pair_view_passages_mark_the_formula_as_stock_and_the_quote_not(filings):
    result = scan([filings])
    by_doc = {s.doc_id: s for s in result.stories}
    formula = shared_passages(result, by_doc["filing00.txt"], by_doc["filing01.txt"])
    assert formula and all(p.stock for p in formula)
    quote = shared_passages(result, by_doc["report-a.txt"], by_doc["report-b.txt"])
    assert quote and not any(p.stock for p in quote)
    text = result.document("report-a.txt").text
    assert "harbour bridge at Lisbon" in text[quote[0].a_start:quote[0].a_end]


def _found(texts: list[str], settings=DuplicateSettings()):
    stories = [Story(story_id=f"s{k:04d}", doc_id=f"s{k:04d}", story_index=0, start=0, end=len(t))
               for k, t in enumerate(texts)]
    sets = shingle_sets([words(t) for t in texts], settings.shingle_size)
    sigs = signatures(sets, settings.num_perm, settings.seed)
    return stories, sets, finish(find_relations(stories, sets, sigs, settings)).relations


def test_a_copy_with_a_paragraph_added_is_a_copy_with_changes_of_its_original():
    original = _own(1, 100)
    stories, sets, relations = _found([original, original + " " + _own(2, 30), _own(3, 100)])
    [rel] = relations
    assert rel.kind == "copy_with_changes" and rel.containment_a_in_b == 1.0 and 0.5 <= rel.jaccard < 0.8
    groups = duplicate_groups(stories, sets, relations)
    assert sorted(len(g.members) for g in groups) == [1, 2]


@pytest.mark.parametrize("changed", [False, True])
def test_a_big_copy_group_is_listed_once_per_copy_against_its_original(changed):
    # 300 copies (each with one word of its own, or none): 299 rows, not 44,850
    base = _own(7, 200).split()
    texts = []
    for k in range(300):
        copy = list(base)
        if changed:
            copy[(k * 37) % 200] = f"changed{k}"
        texts.append(" ".join(copy))
    stories, sets, relations = _found(texts)
    canonical = duplicate_groups(stories, sets, relations)[0].canonical
    assert len(relations) == 299
    assert all(canonical in (r.story_a, r.story_b) for r in relations)
    assert {r.kind for r in relations} == ({"near_duplicate"} if changed else {"exact"})
    assert [len(g.members) for g in duplicate_groups(stories, sets, relations)] == [300]


def test_a_workspace_keeps_what_tells_stock_phrasing(filings, tmp_path):
    path = tmp_path / "desk.newsdedup"
    result = rescan(path, [filings])
    assert result.common_phrases  # the formula's runs: twelve stories hold them
    with Workspace.open(path) as ws:
        loaded = ws.load()
    assert loaded.common_phrases == result.common_phrases
    by_doc = {s.doc_id: s for s in loaded.stories}
    assert all(p.stock for p in shared_passages(loaded, by_doc["filing00.txt"], by_doc["filing01.txt"]))
