"""Passages an outlet repeats across different stories are boilerplate; a wire story's reprints are not."""

from __future__ import annotations

import random

from newsdedup.pipeline import scan
from newsdedup.stories.boilerplate import REPEATED_ACROSS_OUTLET

VOCAB = ("minister council budget harbour strike festival court ruling vaccine election turnout storm "
         "bridge tariff orchestra league transfer drought river factory pension museum railway senate "
         "reactor wildfire merger airline school rainfall treaty border satellite bank inflation "
         "farmers protest ferry hospital union verdict glacier mayor stadium").split()

SIGN_OFFS = ("Reporting by the Harbour Desk; editing by Ann Lee. Subscribe to our morning briefing.",
             "Reporting by the Harbour Desk; editing by Ann Lee. Subscribe to our morning briefing!",
             "Reporting by the Harbour desk, editing by Ann Lee. Subscribe to our morning briefing.")


def _story(rng: random.Random, paragraphs: int = 5) -> list[str]:
    out = []
    for _ in range(paragraphs):
        sentence = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(18, 30)))
        out.append(sentence.capitalize() + ".")
    return out


def _write(path, paras: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")


def _flagged(result, path_prefix: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in result.stories:
        if s.doc_id.startswith(path_prefix):
            text = result.document(s.doc_id).text
            out[s.doc_id] = [text[b.start:b.end] for b in s.boilerplate if b.kind == REPEATED_ACROSS_OUTLET]
    return out


def test_a_sign_off_repeated_under_different_stories_is_boilerplate(tmp_path):
    rng = random.Random(3)
    for i in range(8):
        _write(tmp_path / "harbour" / f"{i}.txt", [f"Headline number {i} about the harbour"] + _story(rng)
               + [SIGN_OFFS[i % 3]])
    result = scan([tmp_path])
    flagged = _flagged(result, "harbour/")
    assert len(flagged) == 8
    for doc_id, texts in flagged.items():
        assert texts == [SIGN_OFFS[int(doc_id.split("/")[1][0]) % 3]], doc_id  # the variants count too
    spans = [b for s in result.stories for b in s.boilerplate if b.kind == REPEATED_ACROSS_OUTLET]
    assert {b.support for b in spans} == {8}
    for s in result.stories:
        assert "Subscribe" not in result.clean_text(s)
        assert s.boilerplate_words >= len(SIGN_OFFS[0].split())


def test_forty_reprints_of_one_wire_story_keep_their_story_text(tmp_path):
    rng = random.Random(5)
    wire = _story(rng, 8)
    different = [_story(rng) for _ in range(6)]
    for i in range(40):
        paras = list(wire)
        paras[i % 8] = paras[i % 8].replace(".", f" said outlet {i}.")  # each reprint edits a line
        _write(tmp_path / "desk" / f"reprint{i:02}.txt", [f"Reprint {i}: the wire story"] + paras
               + [SIGN_OFFS[0]])
    for i, paras in enumerate(different):
        _write(tmp_path / "desk" / f"other{i}.txt", [f"Another story {i}"] + paras + [SIGN_OFFS[0]])
    result = scan([tmp_path])
    for doc_id, texts in _flagged(result, "desk/").items():
        # 40 reprints count as one text: with the six other stories the sign-off has 7 different carriers
        assert texts == [SIGN_OFFS[0]], doc_id
    spans = [b for s in result.stories for b in s.boilerplate if b.kind == REPEATED_ACROSS_OUTLET]
    assert {b.support for b in spans} == {46}


def test_outlets_are_kept_apart(tmp_path):
    rng = random.Random(7)
    for i in range(8):  # four documents in each of two outlets: neither reaches five
        _write(tmp_path / ("north" if i % 2 else "south") / f"{i}.txt", _story(rng) + [SIGN_OFFS[0]])
    result = scan([tmp_path])
    assert not [b for s in result.stories for b in s.boilerplate if b.kind == REPEATED_ACROSS_OUTLET]


def test_quoted_replies_are_reuse_not_boilerplate(tmp_path):
    rng = random.Random(9)
    original = _story(rng, 2)
    quoted = "\n".join("> " + line for line in original[0].split(" said "))
    for i in range(7):
        _write(tmp_path / "group" / f"{i}.txt", _story(rng, 3) + [quoted] + _story(rng, 1))
    result = scan([tmp_path])
    assert not [b for s in result.stories for b in s.boilerplate if b.kind == REPEATED_ACROSS_OUTLET]
