"""Every reader, fed what hypothesis makes up: bytes, encodings, nesting, sizes and names.

What must hold for any input: reading a file never raises and never hangs; the file is either read
(documents with text) or a problem with a reason; every text and name that comes out can be encoded as
UTF-8, so it can be shown, exported and saved in a workspace.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdedup.export import CLUSTER_COLUMNS, csv_text, safe_cell
from newsdedup.ingest.decoding import Unreadable, decode
from newsdedup.ingest.files import read_one
from newsdedup.ingest.walk import display, named_files
from newsdedup.model import FileStatus
from newsdedup.pipeline import scan

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".eml", ".docx", ".pdf", ".bin"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "koi8-r", "shift_jis",
             "gb18030", "iso-8859-7"]
MAX = 64 * 1024  # a small size limit, so that sizes around it are cheap to make


def _read(name: str, data: bytes, max_bytes: int = MAX):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        docs, entry, problems = read_one(Path(tmp), path, max_bytes)
    assert entry.status in (FileStatus.READ, FileStatus.PROBLEM, FileStatus.SKIPPED)
    if entry.status == FileStatus.READ:
        assert docs and all(d.text.strip() for d in docs)
    elif entry.status == FileStatus.PROBLEM:
        assert not docs and problems and problems[0].reason
    for d in docs:
        for text in (d.text, d.title, d.source, d.doc_id, d.path, d.encoding):
            text.encode("utf-8")
    for p in problems:
        (p.path + p.reason).encode("utf-8")
    return docs, entry, problems


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_format_are_read_or_a_problem(data, suffix):
    _read("f" + suffix, data)


@FUZZ
@given(text=st.text(max_size=400), encoding=st.sampled_from(ENCODINGS))
def test_text_in_any_encoding_is_read_or_a_problem(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, "replace")
    try:
        got, name = decode(data)
    except Unreadable:
        return
    got.encode("utf-8")
    if encoding in ("utf-8", "utf-8-sig", "utf-32") and "\x00" not in text and text.strip():
        assert got == text, name  # the encodings a byte-order mark or validity settle are never guessed


@FUZZ
@given(depth=st.integers(1, 20_000), kind=st.sampled_from(["[", '{"a":', '{"text": ']),
       suffix=st.sampled_from([".json", ".jsonl"]))
def test_json_nested_to_any_depth_is_read_or_a_problem(depth, kind, suffix):
    body = kind * depth + "1" + ("]" if kind == "[" else "}") * depth
    _read("f" + suffix, body.encode())


@FUZZ
@given(digits=st.integers(1, 50_000), where=st.sampled_from(["id", "text", "date", "title"]))
def test_json_numbers_of_any_length_are_read_or_a_problem(digits, where):
    record = '{"text": "A council story about the harbour budget.", "' + where + '": ' + "9" * digits + "}"
    _read("f.json", record.encode())


@FUZZ
@given(strings=st.lists(st.text(max_size=50), min_size=1, max_size=5))
def test_json_strings_with_lone_surrogates_come_out_as_valid_text(strings):
    record = {"id": strings[0], "title": strings[-1], "source": strings[0],
              "text": " ".join(strings) + "\ud800 council budget vote \udfff"}
    docs, _, _ = _read("f.jsonl", json.dumps(record).encode())
    assert docs


@FUZZ
@given(depth=st.integers(1, 2000), parts=st.integers(1, 3))
def test_mail_nested_to_any_depth_is_read_or_a_problem(depth, parts):
    head = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    inner = "".join(f"Content-Type: text/plain\n\npart {k}\n--b{depth - 1}\n" for k in range(parts - 1))
    tail = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    _read("f.eml", ("From: a@b.c\nSubject: s\n" + head + inner + "Content-Type: text/plain\n\nhello\n" + tail).encode())


@settings(max_examples=10, deadline=None)
@given(paragraphs=st.integers(0, 150_000), extra=st.binary(max_size=64))
def test_word_files_of_any_paragraph_count_are_read_or_a_problem(paragraphs, extra):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", extra)
        zf.writestr("word/document.xml", b"<w:document><w:body>" + b"<w:p/>" * paragraphs + b"</w:body></w:document>")
    _read("f.docx", buf.getvalue())


@FUZZ
@given(size=st.integers(MAX - 2, MAX + 2), suffix=st.sampled_from([".txt", ".json", ".eml"]))
def test_files_around_the_size_limit_are_read_or_said_too_large(size, suffix):
    _, entry, _ = _read("f" + suffix, b"a" * size)
    if size > MAX and suffix != ".json":
        assert "too large" in entry.reason


@FUZZ
@given(names=st.lists(st.binary(min_size=1, max_size=30).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                                   and b not in (b".", b"..")),
                      min_size=1, max_size=6, unique=True))
def test_any_file_name_comes_out_printable_and_exportable(names):
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(os.fsencode(tmp), b"drop")
        os.mkdir(folder)
        for n, name in enumerate(names):
            with open(os.path.join(folder, name + b".txt"), "wb") as fh:
                fh.write(f"Story {n}\n\nThe council met about the harbour.\n".encode())
        found = list(named_files([Path(os.fsdecode(folder))]))
        assert len(found) == sum(not n.startswith(b".") for n in names)
        for _root, path, name, problem in found:
            assert not problem and path.exists()
            csv_text(CLUSTER_COLUMNS, [{"path": name}]).encode("utf-8")
            assert display(name) == name


@FUZZ
@given(text=st.text(max_size=30), spaces=st.text(" \u00a0", max_size=3),
       start=st.sampled_from(["=", "+", "-", "@", "\t", "\r"]))
def test_a_cell_a_spreadsheet_would_run_is_neutralised_even_after_spaces(text, spaces, start):
    assert safe_cell(spaces + start + text).startswith("'")


_LINES = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
                   st.sampled_from(["", "By AP", "Monday, March 3", "BRUSSELS (Reuters) -", "Copyright 2024", "* * *",
                                    "Advertisement", "1 2 3", "Read more:", "31/02/2024"]))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(st.lists(_LINES, max_size=25).map("\n".join), min_size=1, max_size=3))
def test_any_texts_go_through_the_whole_scan(docs):
    """Past the readers too: stories, boilerplate, duplicates and events take any text (a copy of each, with a
    line added, gives the later stages pairs to work on)."""
    with tempfile.TemporaryDirectory() as tmp:
        for i, d in enumerate(docs):
            Path(tmp, f"{i}.txt").write_text(d, encoding="utf-8")
            Path(tmp, f"copy{i}.txt").write_text(d + "\nA line added to the copy.", encoding="utf-8")
        result = scan([Path(tmp)])
    assert len(result.files) == 2 * len(docs)
    assert {s.doc_id for s in result.stories} <= {d.doc_id for d in result.documents}
