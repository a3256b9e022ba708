"""Moving the thresholds regroups a finished scan from what it holds, without reading the files again."""

from __future__ import annotations

import dataclasses
import shutil

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings
from newsdedup.model import finish
from newsdedup.pipeline import scan
from newsdedup.regroup import regroup, similarities
from newsdedup.settings import Settings


def _pairs(result):
    return {(r.story_a, r.story_b, r.kind) for r in result.relations}


def test_default_thresholds_give_back_what_the_scan_found(seeds_result):
    sims = finish(similarities(seeds_result))
    again = finish(regroup(seeds_result, sims, DuplicateSettings(), EventSettings()))
    assert _pairs(again) == _pairs(seeds_result)
    assert [g.members for g in again.groups] == [g.members for g in seeds_result.groups]
    assert [e.story_ids for e in again.events] == [e.story_ids for e in seeds_result.events]


def test_a_stricter_reuse_threshold_drops_the_partial_reuse(seeds_result):
    sims = finish(similarities(seeds_result))
    assert any(r.kind == "partial_reuse" for r in seeds_result.relations)
    strict = DuplicateSettings(partial_reuse_containment=0.9)
    again = finish(regroup(seeds_result, sims, strict, EventSettings()))
    assert not any(r.kind == "partial_reuse" for r in again.relations)
    assert again.settings["duplicates"]["partial_reuse_containment"] == 0.9


def test_regrouping_needs_no_file_and_splits_a_group_above_its_similarity(tmp_path, seeds_dir):
    folder = tmp_path / "desk"
    folder.mkdir()
    original = (seeds_dir / "003_b2d0903adc2ffcae.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text(original, encoding="utf-8")
    edited = original.replace("Luxembourg", "Belgium").replace("ministers agreed", "the ministers agreed")
    (folder / "b.txt").write_text(edited, encoding="utf-8")
    result = scan([folder], Settings())
    together = [g for g in result.groups if len(g.members) == 2]
    assert together, "an edited copy is a near-duplicate at the default threshold"
    jaccard = together[0].score_of(together[0].members[1])[1]
    shutil.rmtree(folder)  # regrouping works from the result alone
    sims = finish(similarities(result))
    assert sims.jaccards().max() == jaccard
    stricter = dataclasses.replace(DuplicateSettings(), near_duplicate_jaccard=min(1.0, jaccard + 0.01))
    again = finish(regroup(result, sims, stricter, EventSettings()))
    assert all(len(g.members) == 1 for g in again.groups)
    assert len(again.stories) == len(result.stories)


def test_regrouping_under_new_thresholds_gives_what_a_scan_with_them_gives(seeds_dir, seeds_result):
    loose = dataclasses.replace(DuplicateSettings(), near_duplicate_jaccard=0.1)  # 000 and 001 become copies
    again = finish(regroup(seeds_result, finish(similarities(seeds_result)), loose, EventSettings()))
    fresh = scan([seeds_dir], dataclasses.replace(Settings(), duplicates=loose))
    copies = [g for g in fresh.groups if len(g.members) > 1]
    assert copies, "the pair of 000 and 001 is counted as copies under the loose threshold"
    assert [(g.members, g.scores) for g in again.groups] == [(g.members, g.scores) for g in fresh.groups]
