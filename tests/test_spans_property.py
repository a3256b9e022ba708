"""Every span the tool reports slices the text it was read from exactly, whatever the characters.

Property-based (hypothesis): random Unicode mixed with what news text is made of, curly quotes, dashes,
CRLF and lone CR line ends, combining marks, odd spaces, ligatures and datelines.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdedup.ingest.files import read_paths
from newsdedup.model import finish
from newsdedup.stories.build import build_stories
from newsdedup.text import normalize, words

PIECES = ["Rutte", "NATO", "café", "Ukraine’s", "“front”", "—", "–", "-", " ", " ", "\u00a0", "\u200b",
          "\n", "\r\n", "\r", "\n\n", "e\u0301", "\u0308", "ﬁ", "½", "ǅ", "İ", "ß", "BRUSSELS (AP) — ",
          "Dec. 3, 2024", "News", "More Images", "\t", ".", ",", "0:00", "Ελλάδα", "日本", "👍🏽"]
news_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(exclude_categories=("Cs",))), max_size=120
).map("".join)


@given(news_text)
def test_each_word_is_a_slice_that_reads_as_that_word(text):
    w = words(text)
    assert np.all((0 <= w.starts) & (w.starts < w.ends) & (w.ends <= len(text)))
    assert np.all(np.diff(w.starts) >= 0)
    for h, s, e in zip(w.hashes, w.starts, w.ends):
        assert h in words(text[s:e]).hashes, (text[s:e], text)


@given(news_text)
def test_every_normalised_character_maps_into_the_original(text):
    norm = normalize(text)
    assert len(norm.src_start) == len(norm.src_end) == len(norm.text)
    assert np.all((0 <= norm.src_start) & (norm.src_start < norm.src_end) & (norm.src_end <= len(text)))
    assert np.all(np.diff(norm.src_start) >= 0)


def _lines_start(text: str, pos: int) -> bool:
    """``pos`` opens a line, perhaps after its indentation."""
    return not text[text.rfind("\n", 0, pos) + 1:pos].strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(news_text, min_size=1, max_size=4))
@example(["\ufeffRutte", "\ufeff\ufeffRutte\r\n"])
def test_story_and_boilerplate_spans_slice_the_documents_read_from_disk(texts):
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(texts):
            Path(tmp, f"{i}.txt").write_bytes(text.encode("utf-8"))
        outcome = finish(read_paths([Path(tmp)]))
        stories = finish(build_stories(outcome.documents))
    assert len(outcome.files) == len(texts)  # each file read or a problem, none lost
    for doc in outcome.documents:
        original = texts[int(doc.path.split(".")[0])]
        # Line ends are unified on reading and a leading U+FEFF in UTF-8 is the byte-order mark, which
        # reading drops; every other character is the file's own.
        expected = original.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        assert doc.text == expected
        mine = [s for s in stories if s.doc_id == doc.doc_id]
        assert mine[0].start == 0 and mine[-1].end == len(doc.text)
        assert all(a.end == b.start for a, b in zip(mine, mine[1:]))  # stories tile the document
        for story in mine:
            assert story.start < story.end
            for b in story.boilerplate:
                piece = doc.text[b.start:b.end]
                assert story.start <= b.start < b.end <= story.end
                assert piece == piece.strip() and _lines_start(doc.text, b.start)
            spans = [(b.start, b.end) for b in story.boilerplate]
            assert spans == sorted(spans)
            assert 0 <= story.boilerplate_words <= story.words


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(news_text, min_size=6, max_size=6), news_text.filter(lambda t: len(words(t)) > 0))
def test_a_footer_repeated_across_files_is_flagged_as_a_slice_of_itself(bodies, footer):
    footer = " ".join(footer.split())  # one line
    with tempfile.TemporaryDirectory() as tmp:
        for i, body in enumerate(bodies):
            Path(tmp, f"{i}.txt").write_text(f"Story number {i} of the day\n\n{body}\n\n{footer}\n", encoding="utf-8")
        outcome = finish(read_paths([Path(tmp)]))
        stories = finish(build_stories(outcome.documents))
    by_id = {d.doc_id: d for d in outcome.documents}
    for story in stories:
        text = by_id[story.doc_id].text
        for b in story.boilerplate:
            assert story.start <= b.start < b.end <= story.end
            if b.kind == "repeated_across_outlet":
                piece = text[b.start:b.end]
                assert piece == piece.strip() and 5 <= b.support <= 6
