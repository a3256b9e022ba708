"""Boilerplate one document shows on its own: repeats inside it and page furniture, but not its story."""

from __future__ import annotations

from newsdedup.pipeline import scan

BODY = [
    "NATO foreign ministers met in Brussels on Tuesday to discuss support for Ukraine and the alliance budget.",
    "Rutte said the priority was to boost Kyiv's defenses before any talks, and that allies must spend more.",
    "Several ministers called for spending well above two percent of economic output by the end of the decade.",
]
CAPTION = ("NATO Secretary General Mark Rutte speaks during a media conference at NATO headquarters in Brussels, "
           "Tuesday, Dec. 3, 2024. (AP Photo/Virginia Mayo)")


def _flagged(tmp_path, lines):
    (tmp_path / "page.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = scan([tmp_path])
    story, = result.stories
    text = result.document(story.doc_id).text
    return [text[b.start:b.end] for b in story.boilerplate], result.clean_text(story)


def test_a_body_printed_twice_keeps_one_copy_as_story_text(tmp_path):
    flagged, clean = _flagged(tmp_path, ["Ministers meet in Brussels"] + BODY + ["Share", "Read more"] + BODY)
    assert flagged.count(BODY[0]) == 1 and BODY[0] in clean  # the second copy is furniture, not the first
    assert "Share" in flagged and "Read more" in flagged


def test_a_caption_is_furniture_every_time_it_stands(tmp_path):
    flagged, clean = _flagged(tmp_path, ["Ministers meet in Brussels", BODY[0], CAPTION, BODY[1], CAPTION, BODY[2]])
    assert flagged.count(CAPTION) == 2 and "AP Photo" not in clean


def test_a_subheading_between_paragraphs_is_story_text_but_a_menu_is_not(tmp_path):
    lines = ["Home", "World", "Europe", "Ministers meet in Brussels", BODY[0], "Spending targets", BODY[1], BODY[2]]
    flagged, clean = _flagged(tmp_path, lines)
    assert {"Home", "World", "Europe"} <= set(flagged)
    assert "Spending targets" not in flagged and "Spending targets" in clean


def test_a_short_headline_and_a_bulleted_list_are_story_text(tmp_path):
    bullets = ["- Air gestures", "- Heart rate sensor", "- Fingerprint scanner"]
    lines = ["Premiership stays on BBC", BODY[0], "The phone adds:"] + bullets + [BODY[1], "Share", "Print"]
    flagged, clean = _flagged(tmp_path, lines)
    assert "Premiership stays on BBC" not in flagged and not set(bullets) & set(flagged)
    assert {"Share", "Print"} <= set(flagged)
