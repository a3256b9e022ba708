"""Shared passages as a reader checks them: the same words, at spans of both original texts."""

from __future__ import annotations

from newsdedup.dedup.passages import passages_between
from newsdedup.text import words

A = ("Officials met on Monday. “The front is not moving eastward. It is slowly moving westward,” the "
     "secretary general told reporters in Brussels before the meeting began. Nothing else here matches.")
B = ("In other news today. The front is NOT moving eastwards. It is slowly moving westwards, the secretary "
     "general told reporters in Brussels before lunch. Weather was fine.")


def test_passage_spans_cover_the_shared_words_in_both_texts():
    got = passages_between(words(A), words(B))
    assert len(got) == 1
    p = got[0]
    assert A[p.a_start:p.a_end].startswith("The front is not moving eastward")
    assert B[p.b_start:p.b_end].startswith("The front is NOT moving eastwards")
    assert A[p.a_start:p.a_end].endswith("in Brussels before")
    assert B[p.b_start:p.b_end].endswith("in Brussels before")
    assert p.words >= 15


def test_unrelated_texts_share_nothing():
    assert passages_between(words(A), words("Storms closed the coast road for a week, the mayor said.")) == []


def test_a_passage_repeated_in_one_text_is_matched_once():
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    got = passages_between(words(text), words(f"{text}. Then again: {text}"))
    assert len(got) == 1 and got[0].words == 10
