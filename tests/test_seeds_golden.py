"""The golden test: what a careful editor finds in the sample corpus (seeds/README from ../shared/seeds),
stage by stage, read from seeds/.expected.json (hidden, so scanning seeds/ never reads it as an article)."""

from __future__ import annotations

import datetime as dt

from newsdedup.model import DateProvenance


def _story_ref(story) -> str:
    return f"{story.doc_id}#{story.story_index}"


def test_every_seed_file_is_read_without_problems(seeds_result, expected):
    assert not seeds_result.problems
    read = {f.path for f in seeds_result.files if f.status.value == "read"}
    assert read == set(expected["stories"])


def test_stories_per_file(seeds_result, expected):
    counts: dict[str, int] = {}
    for s in seeds_result.stories:
        counts[s.doc_id] = counts.get(s.doc_id, 0) + 1
    assert counts == expected["stories"]


def test_second_story_of_001_starts_at_the_davos_dateline(seeds_result, expected):
    for ref, opening in expected["story_starts"].items():
        story = next(s for s in seeds_result.stories if _story_ref(s) == ref)
        assert seeds_result.story_text(story).lstrip().startswith(opening)
        # and the story before it does not run into it
        doc_id, index = ref.split("#")
        before = next(s for s in seeds_result.stories if s.doc_id == doc_id and s.story_index == int(index) - 1)
        assert opening not in seeds_result.story_text(before)


def test_dates_and_their_provenance(seeds_result, expected):
    by_ref = {_story_ref(s): s for s in seeds_result.stories}
    for ref, want in expected["dates"].items():
        story = by_ref[ref]
        allowed = [dt.date.fromisoformat(d) if d else None for d in want["published"]]
        assert story.published in allowed, ref
        assert story.date_provenance == DateProvenance(want["provenance"]), ref


def _covered(story_spans, start, end) -> bool:
    return any(b.start <= start and end <= b.end for b in story_spans)


def _lines_with(text: str, entry: str) -> list[tuple[int, int]]:
    """Lines of ``text`` that are ``entry`` (short entries) or contain it (longer ones)."""
    found, pos = [], 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip()
        if stripped == entry or (len(entry.split()) > 2 and entry in line):
            lead = len(line) - len(line.lstrip())
            found.append((s + lead, s + lead + len(stripped)))
    return found


def test_page_furniture_named_in_the_seed_readme_is_boilerplate(seeds_result, expected):
    for path, entries in expected["boilerplate"].items():
        doc = seeds_result.document(path)
        spans = [b for s in seeds_result.stories if s.doc_id == path for b in s.boilerplate]
        for entry in entries:
            lines = _lines_with(doc.text, entry)
            assert lines, f".expected.json names {entry!r}, which is not a line of {path}"
            for s, e in lines:
                assert _covered(spans, s, e), f"{path}: {doc.text[s:e]!r} is not flagged as boilerplate"


def test_no_sentence_of_story_text_is_boilerplate(seeds_result, expected):
    for path, sentences in expected["story_text"].items():
        doc = seeds_result.document(path)
        spans = [b for s in seeds_result.stories if s.doc_id == path for b in s.boilerplate]
        for sentence in sentences:
            start = doc.text.index(sentence)
            end = start + len(sentence)
            assert not any(b.start < end and start < b.end for b in spans), sentence


def test_000_reuses_ap_copy_of_001(seeds_result, expected):
    kinds = {(r.story_a, r.story_b): r.kind for r in seeds_result.relations}
    for a, b in expected["relations"]["partial_reuse"]:
        assert kinds.get((a, b), kinds.get((b, a))) == "partial_reuse"


def test_002_is_nobodys_duplicate(seeds_result, expected):
    for ref in expected["relations"]["nobodys_duplicate"]:
        assert not [r for r in seeds_result.relations_of(ref) if r.kind in ("exact", "near_duplicate")]
        group = next(g for g in seeds_result.groups if ref in g.members)
        assert group.members == (ref,)


def test_independent_reports_have_no_relations(seeds_result, expected):
    for ref in expected["relations"]["unrelated"]:
        assert seeds_result.relations_of(ref) == []


def test_shared_passages_at_the_right_offsets_in_both_files(seeds_result, expected):
    from newsdedup.dedup.passages import shared_passages

    for want in expected["shared_passages"]:
        story_a, story_b = seeds_result.story(want["a"]), seeds_result.story(want["b"])
        passages = shared_passages(seeds_result, story_a, story_b)
        text_a = seeds_result.document(story_a.doc_id).text
        text_b = seeds_result.document(story_b.doc_id).text
        sa, sb = text_a.index(want["text_a"]), text_b.index(want["text_b"])
        assert any(p.a_start <= sa and sa + len(want["text_a"]) <= p.a_end
                   and p.b_start <= sb and sb + len(want["text_b"]) <= p.b_end for p in passages)


def test_three_events_as_an_editor_sees_them(seeds_result, expected):
    got = sorted(sorted(e.story_ids) for e in seeds_result.events)
    want = sorted(sorted(e["stories"]) for e in expected["events"])
    assert got == want


def test_event_dates_lie_within_the_expected_ranges(seeds_result, expected):
    """Whatever the grouping, no event spans stories months apart."""
    for event in seeds_result.events:
        if event.start and event.end:
            assert (event.end - event.start).days <= 31, event.label
