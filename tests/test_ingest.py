"""Reading folders as people have them: every file listed, unreadable ones as problems, the rest read."""

from __future__ import annotations

import json
import os

from newsdedup.ingest.files import read_paths
from newsdedup.model import FileStatus, finish

STORY = ("BRUSSELS (AP) — NATO Secretary-General Mark Rutte on Tuesday sidestepped questions about "
         "Ukraine’s possible membership in the military alliance, café owners said.\n")


def _read(paths, **kw):
    outcome = finish(read_paths(paths, **kw))
    return outcome


def test_encodings_come_out_as_the_same_text(tmp_path):
    (tmp_path / "utf8.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(STORY.encode("utf-8-sig"))
    (tmp_path / "utf16.txt").write_text(STORY, encoding="utf-16")
    (tmp_path / "utf16be.txt").write_bytes(b"\xfe\xff" + STORY.encode("utf-16-be"))
    (tmp_path / "cp1252.txt").write_bytes(STORY.encode("cp1252"))
    out = _read([tmp_path])
    assert not out.problems
    texts = {d.path: d.text for d in out.documents}
    assert set(texts) == {"utf8.txt", "bom.txt", "utf16.txt", "utf16be.txt", "cp1252.txt"}
    assert set(texts.values()) == {STORY}


# Short texts are where guessing an encoding goes wrong ("façade" read as Baltic comes out "faēade").
WESTERN = {
    "fr": "Le café était plein; la façade de l'hôtel, déjà vue, naïve.\n",
    "de": "Der Außenminister erklärte, die Gespräche in Brüssel seien gut gewesen. Es waren 20°C.\n",
    "es": "El ministro español dijo que la reunión fue un éxito. ¿Quién pagará? ¡Nadie! Año 2024.\n",
}
OTHER = {
    "cp1250": "Zażółć gęślą jaźń, powiedział minister spraw zagranicznych w Brukseli.\n",
    "cp1251": "Министр иностранных дел заявил, что переговоры в Брюсселе прошли успешно.\n",
    "cp1254": "Dışişleri Bakanı, Brüksel'deki görüşmelerin başarılı geçtiğini söyledi.\n",
}


def test_latin1_and_cp1252_files_read_as_written(tmp_path):
    for lang, text in WESTERN.items():
        (tmp_path / f"{lang}-latin1.txt").write_bytes(text.encode("latin-1"))
        (tmp_path / f"{lang}-cp1252.txt").write_bytes(text.encode("cp1252"))
        (tmp_path / f"{lang}-utf8.txt").write_text(text, encoding="utf-8")
    out = _read([tmp_path])
    assert not out.problems
    for d in out.documents:
        assert d.text == WESTERN[d.path.split("-")[0]], d.path


def test_other_single_byte_code_pages_are_not_forced_to_western(tmp_path):
    for encoding, text in OTHER.items():
        (tmp_path / f"{encoding}.txt").write_bytes(text.encode(encoding))
    out = _read([tmp_path])
    assert {d.path: d.text for d in out.documents} == {f"{e}.txt": t for e, t in OTHER.items()}


def test_bad_files_become_problems_and_the_scan_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text(STORY)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "huge.txt").write_text(STORY * 200)
    (tmp_path / "broken.jsonl").write_text('{"id": 1, "text": "fine"}\n{not json\n')
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)  # no encoding makes text of this
    (tmp_path / "half.txt").write_bytes(b"\xff\xfe" + "odd".encode("utf-16-le") + b"\x00\xd8")
    (tmp_path / "page.html").write_text("<html><head><title>x</title></head><body><img src=a.png></body></html>")
    out = _read([tmp_path], max_bytes=10_000)
    reasons = {p.path: p.reason for p in out.problems}
    assert set(reasons) == {"empty.txt", "blank.txt", "binary.txt", "huge.txt", "broken.jsonl", "noise.txt",
                            "half.txt", "page.html"}
    assert "empty" in reasons["empty.txt"]
    assert "whitespace" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "too large" in reasons["huge.txt"]
    assert "line 2" in reasons["broken.jsonl"]
    assert "encoding" in reasons["noise.txt"]
    assert "UTF-16" in reasons["half.txt"]
    assert "no main text" in reasons["page.html"]
    # a JSON Lines file with a broken line: its good records are read, and the broken line is a problem
    assert [d.doc_id for d in out.documents] == ["broken.jsonl#1", "good.txt"]
    status = {f.path: f.status for f in out.files}
    assert status["photo.jpg"] == FileStatus.SKIPPED and status["good.txt"] == FileStatus.READ
    assert len(out.files) == 10  # nothing disappears silently


def test_jsonl_records_keep_their_ids_and_metadata(tmp_path):
    records = [{"id": "r1", "date": "2024-12-03", "source": "AP", "title": "T1", "text": STORY},
               {"id": "r2", "date": None, "source": None, "title": "T2", "text": STORY + "More."},
               {"id": "r3", "text": ""}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    out = _read([tmp_path / "feed.jsonl"])
    docs = {d.record_id: d for d in out.documents}
    assert set(docs) == {"r1", "r2"}
    assert docs["r1"].doc_id == "feed.jsonl#r1" and docs["r1"].source == "AP"
    assert docs["r1"].published.isoformat() == "2024-12-03" and docs["r2"].published is None
    assert [(p.path, p.reason) for p in out.problems] == [("feed.jsonl#r3", "record has no text and no title")]
    assert "1 record(s) left out" in out.files[0].reason


def test_a_record_with_a_headline_and_no_text_is_a_headline_only_story(tmp_path):
    """Wire flashes and feed items carry only a headline (reuters21578 has 1,799): a user counts them."""
    from newsdedup.pipeline import scan

    records = [{"id": "full", "title": "Oil prices rise", "text": STORY},
               {"id": "flash", "title": "FED SETS TWO BILLION DLR CUSTOMER REPURCHASE, FED SAYS", "text": ""},
               {"id": "blank", "title": "   ", "text": "  \n "},
               {"id": "nothing"}]
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = scan([tmp_path])
    stories = {s.story_id: s for s in result.stories}
    assert set(stories) == {"wire.jsonl#full#0", "wire.jsonl#flash#0"}
    flash = stories["wire.jsonl#flash#0"]
    assert flash.title == "FED SETS TWO BILLION DLR CUSTOMER REPURCHASE, FED SAYS" and flash.words == 9
    assert sorted((p.path, p.reason) for p in result.problems) == [
        ("wire.jsonl#blank", "record has no text and no title"),
        ("wire.jsonl#nothing", "record has no text and no title")]
    entry = result.files[0]
    assert entry.documents == 2 and "1 record(s) with a headline and no text" in entry.reason
    assert "2 record(s) left out" in entry.reason


def test_a_records_file_with_nothing_readable_is_a_problem(tmp_path):
    (tmp_path / "empty.json").write_text(json.dumps([{"id": 1, "text": ""}, {"id": 2}, 3]))
    out = _read([tmp_path])
    assert not out.documents
    assert [(p.path, p.reason) for p in out.problems] == [
        ("empty.json", "no record could be read: 2 x record has no text and no title, "
                       "1 x not an article record: not a JSON object")]
    assert out.files[0].status == FileStatus.PROBLEM


def test_jsonl_records_may_hold_unicode_line_separators(tmp_path):
    text = STORY + "Line\u2028separator, next\x85line, form\x0cfeed."
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n"
                                         + json.dumps({"id": "b", "text": STORY}) + "\n", encoding="utf-8")
    out = _read([tmp_path])
    assert not out.problems
    assert [d.text for d in out.documents] == [text, STORY]


def test_the_size_limit_is_per_article_in_a_jsonl_file(tmp_path):
    records = [{"id": f"r{i}", "text": STORY} for i in range(100)] + [{"id": "big", "text": STORY * 100}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    out = _read([tmp_path], max_bytes=10_000)  # the file is larger than this, each record but one is not
    assert len(out.documents) == 100 and "big" not in {d.record_id for d in out.documents}
    assert [p.path for p in out.problems] == ["feed.jsonl#big"]
    assert out.problems[0].reason.startswith("too large (")


def test_hidden_folders_links_and_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(STORY)
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.txt").write_text(STORY)
    os.symlink(tmp_path, tmp_path / "a" / "loop")  # a folder linking to its parent
    os.symlink(tmp_path / "a" / "one.txt", tmp_path / "same.txt")
    out = _read([tmp_path])
    assert len(out.documents) == 1  # read once, however it is reached; the loop is not followed
    assert out.documents[0].path in {"a/one.txt", "same.txt"}


def test_the_folder_a_file_sits_in_stands_for_its_outlet(tmp_path):
    (tmp_path / "reuters").mkdir()
    (tmp_path / "reuters" / "one.txt").write_text(STORY)
    out = _read([tmp_path])
    assert out.documents[0].source == "reuters"


def test_a_single_file_can_be_scanned(tmp_path):
    f = tmp_path / "one.txt"
    f.write_text(STORY)
    out = _read([f])
    assert [d.path for d in out.documents] == ["one.txt"]


def test_the_cli_summary_counts_problems_by_reason(tmp_path, capsys):
    from newsdedup.cli import main, summary
    from newsdedup.pipeline import scan
    from newsdedup.settings import Settings

    (tmp_path / "good.txt").write_text(STORY)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(STORY * 100)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "x.jsonl").write_text("{bad\n")
    (tmp_path / "y.jsonl").write_text('{"id": 1}\n{oops\n')
    (tmp_path / "z.jsonl").write_text('{"id": "a", "text": "A story."}\n{"id": "b"}\n{"id": "c", "text": " "}\n')
    assert main(["scan", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert ("problems:          5\n  2 x not valid JSON Lines\n  2 x record has no text and no title\n"
            "  1 x empty file\n") in out
    assert "problem: z.jsonl#b: record has no text and no title" in out
    text = summary(scan([tmp_path], Settings(max_file_bytes=5_000)))  # the size limit is a setting
    assert "problems:          7\n" in text and "  2 x too large\n" in text
    for name in ("a.txt", "b.txt", "empty.txt", "x.jsonl", "y.jsonl"):
        assert f"problem: {name}: " in text
