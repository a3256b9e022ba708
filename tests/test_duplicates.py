"""Duplicates as a user checks them: copies grouped under their likely original, relations graded with
scores anyone can recompute, and no pair lost at exactly the report thresholds."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHashLSH

from newsdedup.dedup.candidates import lsh_bands, lsh_pairs
from newsdedup.dedup.relations import DuplicateSettings, find_relations
from newsdedup.model import Story, finish
from newsdedup.pipeline import scan
from newsdedup.signatures import (
    lean,
    shingle_sets,
    signatures,
    signatures_from_bytes,
    signatures_to_bytes,
)
from newsdedup.text import words

WIRE = ("The central bank raised its main interest rate by a quarter point on Thursday, the third rise this "
        "year, saying inflation was still running well above its target. Officials said wages had grown "
        "faster than expected in the spring and that energy prices were rising again. Markets had expected "
        "the move, and the currency barely changed after the announcement. The bank said further rises "
        "were possible if prices kept climbing through the summer, but that it would watch the housing "
        "market closely before deciding. Economists were divided on whether the economy could take more.")
FLOOD = ("Heavy rain flooded the low streets of the old town overnight, and firefighters pumped water out of "
         "dozens of cellars until dawn. The river rose more than two metres in six hours, the highest level "
         "since records began, and the main bridge was closed to traffic. Nobody was hurt, the mayor said, "
         "but shops along the quay will stay shut for several days while the damage is assessed. Forecasters "
         "expect more rain at the weekend and have asked residents near the water to move cars to higher ground.")


def _records(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")


def _by_member(result):
    return {m: g for g in result.groups for m in g.members}


@pytest.fixture
def copies(tmp_path):
    """Three copies of one wire story (dated differently) and three undated copies of another."""
    _records(tmp_path / "wire.jsonl", [
        {"id": "late", "date": "2024-03-05", "source": "Daily A", "title": "Rates", "text": WIRE},
        {"id": "early", "date": "2024-03-01", "source": "Daily B", "title": "Rates",
         "text": WIRE.replace("Economists were divided", "Analysts were split")},
        {"id": "undated-long", "source": "Daily C", "title": "Rates",
         "text": WIRE + " A spokesman declined to comment further on the decision."},
    ])
    (tmp_path / "flood-short.txt").write_text(FLOOD, encoding="utf-8")
    (tmp_path / "flood-long.txt").write_text(
        FLOOD + " Volunteers handed out sandbags at the town hall all morning.", encoding="utf-8")
    (tmp_path / "flood-edited.txt").write_text(FLOOD.replace("Nobody was hurt", "No one was injured"),
                                               encoding="utf-8")
    return tmp_path


def test_copies_group_under_the_earliest_dated_else_the_longest(copies):
    result = scan([copies])
    groups = _by_member(result)
    wire = groups["wire.jsonl#late#0"]
    assert wire is groups["wire.jsonl#early#0"] is groups["wire.jsonl#undated-long#0"]
    assert wire.canonical == "wire.jsonl#early#0"  # earliest dated, though not the longest
    assert wire.members[0] == wire.canonical
    flood = groups["flood-short.txt#0"]
    assert set(flood.members) == {"flood-short.txt#0", "flood-long.txt#0", "flood-edited.txt#0"}
    assert flood.canonical == "flood-long.txt#0"  # nobody dated: the longest
    assert wire is not flood


def test_each_member_carries_its_relation_and_score_to_the_canonical(copies):
    result = scan([copies])
    group = _by_member(result)["flood-short.txt#0"]
    assert group.score_of(group.canonical)[0] == "canonical"
    for member in group.members[1:]:
        kind, jaccard, containment = group.score_of(member)
        [rel] = [r for r in result.relations if {r.story_a, r.story_b} == {member, group.canonical}]
        assert kind == rel.kind  # partial_reuse where the copy is only linked through another
        assert jaccard == rel.jaccard
        assert containment == (rel.containment_a_in_b if rel.story_a == member else rel.containment_b_in_a)


def test_identical_texts_are_exact(tmp_path):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("  " + WIRE.upper() + "\n", encoding="utf-8")  # case and spacing only
    (tmp_path / "c.txt").write_text(FLOOD, encoding="utf-8")
    result = scan([tmp_path])
    assert [(r.story_a, r.story_b, r.kind, r.jaccard) for r in result.relations] == [
        ("a.txt#0", "b.txt#0", "exact", 1.0)]


def _shingle_set(text: str, k: int = 5) -> set[tuple[str, ...]]:
    """An independent oracle: k-word shingles of lower-cased alphanumeric words."""
    import re

    toks = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(toks[i:i + k]) for i in range(len(toks) - k + 1)}


def test_partial_reuse_scores_are_the_exact_set_scores(tmp_path):
    reused = WIRE.split(". ")[:2]
    story = (FLOOD + " Meanwhile in the capital: " + ". ".join(reused) + ". " + FLOOD.replace("river", "canal"))
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "local.txt").write_text(story, encoding="utf-8")
    result = scan([tmp_path])
    [rel] = result.relations
    a = _shingle_set(result.clean_text(result.story(rel.story_a)))
    b = _shingle_set(result.clean_text(result.story(rel.story_b)))
    shared = len(a & b)
    assert rel.kind == "partial_reuse"
    assert rel.jaccard == pytest.approx(shared / len(a | b))
    assert rel.containment_a_in_b == pytest.approx(shared / len(a))
    assert rel.containment_b_in_a == pytest.approx(shared / len(b))
    assert max(rel.containment_a_in_b, rel.containment_b_in_a) >= DuplicateSettings().partial_reuse_containment


def test_a_stock_phrase_shared_by_a_short_story_is_not_reuse_but_a_reused_sentence_is(tmp_path):
    # a 16-word brief shares a 7-word stock phrase with the wire story: 3 of its 12 five-word runs, a
    # containment of 0.25, yet nobody would call it reuse; a brief that takes a whole sentence of it is
    phrase = "saying inflation was still running well above"
    assert phrase in WIRE
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "brief.txt").write_text(f"The finance minister {phrase} forecasts but promised relief for "
                                        "households soon.\n", encoding="utf-8")
    sentence = WIRE.split(". ")[0]
    (tmp_path / "quote.txt").write_text(f"Overnight news in brief: {sentence}.\n", encoding="utf-8")
    result = scan([tmp_path])
    related = {frozenset((result.story(r.story_a).doc_id, result.story(r.story_b).doc_id)): r for r in result.relations}
    assert frozenset(("brief.txt", "wire.txt")) not in related
    quote = related[frozenset(("quote.txt", "wire.txt"))]
    assert quote.kind == "partial_reuse" and quote.shared_words >= DuplicateSettings().reuse_min_shingles


def _tokens(tag: str, n: int) -> list[str]:
    return [f"{tag}w{i}" for i in range(n)]


def _threshold_corpus():
    """Pairs built to sit exactly at (and just below) the default thresholds, in 5-word shingles."""
    texts: dict[str, list[str]] = {}
    for p in range(25):
        base = _tokens(f"n{p}", 94)  # 90 shingles; swapping the last 10 words leaves 80 shared of 100
        texts[f"near{p}-a"] = base
        texts[f"near{p}-b"] = base[:84] + _tokens(f"n{p}x", 10)
        base = _tokens(f"m{p}", 94)  # 11 words swapped: 79 shared of 101, Jaccard 0.78
        texts[f"below{p}-a"] = base
        texts[f"below{p}-b"] = base[:83] + _tokens(f"m{p}x", 11)
        for size, block in (("long", 24), ("short", 14)):  # 20 of 100 shingles, 10 of 50: containment 0.2
            shared = _tokens(f"{size}{p}s", block)
            texts[f"reuse-{size}{p}-small"] = shared + _tokens(f"{size}{p}o", 4 * (block - 4))
            texts[f"reuse-{size}{p}-big"] = _tokens(f"{size}{p}L", 200) + shared + _tokens(f"{size}{p}R", 200)
        shared = _tokens(f"u{p}s", 23)  # 19 of 99 shingles: under 0.2
        texts[f"under{p}-small"] = shared + _tokens(f"u{p}o", 80)
        texts[f"under{p}-big"] = _tokens(f"u{p}L", 200) + shared + _tokens(f"u{p}R", 200)
    return {name: " ".join(toks) for name, toks in texts.items()}


def _relations_of(texts: dict[str, str], settings=DuplicateSettings()):
    names = list(texts)
    stories = [Story(story_id=n, doc_id=n, story_index=0, start=0, end=len(texts[n])) for n in names]
    sets = shingle_sets([words(texts[n]) for n in names], settings.shingle_size)
    sigs = signatures(sets, settings.num_perm, settings.seed)
    relations = finish(find_relations(stories, sets, sigs, settings)).relations
    return {tuple(sorted((r.story_a, r.story_b))): r for r in relations}


def test_no_pair_is_lost_at_exactly_the_report_thresholds():
    got = _relations_of(_threshold_corpus())
    for p in range(25):
        near = got[(f"near{p}-a", f"near{p}-b")]
        assert near.kind == "near_duplicate" and near.jaccard == 0.8
        below = got[(f"below{p}-a", f"below{p}-b")]
        assert below.kind == "partial_reuse" and below.jaccard < 0.8
        for size in ("long", "short"):
            reuse = got[(f"reuse-{size}{p}-big", f"reuse-{size}{p}-small")]
            assert reuse.kind == "partial_reuse"
            assert max(reuse.containment_a_in_b, reuse.containment_b_in_a) == 0.2
        assert (f"under{p}-big", f"under{p}-small") not in got
    assert len(got) == 25 * 4  # nothing else relates: the texts share no other words


def test_bulk_lsh_bands_find_exactly_what_datasketch_minhashlsh_finds():
    rng = np.random.default_rng(3)
    vocab = [f"v{i}" for i in range(300)]
    base = [list(rng.choice(vocab, 60)) for _ in range(20)]
    texts = []
    for b in base:  # variants of each base text with a few words changed
        for changes in (0, 3, 8, 15, 30):
            t = list(b)
            for pos in rng.choice(len(t), changes, replace=False):
                t[pos] = str(rng.choice(vocab))
            texts.append(" ".join(t))
    sets = shingle_sets([words(t) for t in texts], 5)
    sigs = signatures(sets, 64, 1)
    threshold, weights = 0.48, (0.2, 0.8)
    lsh = MinHashLSH(threshold=threshold, num_perm=64, weights=weights)
    for i in range(len(texts)):
        lsh.insert(i, lean(sigs[i]))
    want = {(min(i, j), max(i, j)) for i in range(len(texts)) for j in lsh.query(lean(sigs[i])) if i != j}
    got = lsh_pairs(sigs, np.ones(len(texts), dtype=bool), lsh_bands(threshold, 64, weights))
    assert {tuple(p) for p in got.tolist()} == want
    assert len(want) > 20  # the variants did collide


def test_signatures_survive_a_round_trip_through_bytes():
    sets = shingle_sets([words(WIRE), words(FLOOD)], 5)
    sigs = signatures(sets, 64, 1)
    blob = signatures_to_bytes(sigs)
    assert len(blob) == 2 * 64 * 4
    back = signatures_from_bytes(blob, 64)
    assert back.dtype == np.uint32 and np.array_equal(back, sigs)
    assert lean(back[0]).jaccard(lean(sigs[0])) == 1.0


def test_pairs_csv_lists_each_copy_against_its_original_with_both_titles(copies, tmp_path):
    out = tmp_path / "pairs.csv"
    proc = subprocess.run([sys.executable, "-m", "newsdedup", "scan", str(copies), "--pairs-csv", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pairs = {tuple(sorted((r["story_a"], r["story_b"]))): r for r in rows}
    assert len(pairs) == len(rows) == 4  # three copies of each of two stories: two rows each, not three
    wire = pairs[("wire.jsonl#early#0", "wire.jsonl#late#0")]
    assert wire["relation"] == "near_duplicate"
    assert 0.8 <= float(wire["jaccard"]) < 1 and int(wire["shared_words"]) > 0
    # the longer undated one adds a paragraph: all of the original is in it, so a copy with changes
    added = pairs[("wire.jsonl#early#0", "wire.jsonl#undated-long#0")]
    assert added["relation"] == "copy_with_changes" and float(added["jaccard"]) < 0.8
    assert all({r["story_a"], r["story_b"]} & {"wire.jsonl#early#0", "flood-long.txt#0"} for r in rows)
    assert all(r["relation"] in ("exact", "near_duplicate", "copy_with_changes") for r in rows)
    assert all(r["title_a"] and r["title_b"] for r in rows)


def test_the_sets_of_some_stories_are_those_stories_sets():
    texts = ["one two three four five six", "", "a b c d e f g h", "x y z"]
    sets = shingle_sets([words(t) for t in texts], 5)
    some = sets.take([3, 0, 2])
    again = shingle_sets([words(texts[i]) for i in (3, 0, 2)], 5)
    assert [some.of(i).tolist() for i in range(3)] == [again.of(i).tolist() for i in range(3)]
