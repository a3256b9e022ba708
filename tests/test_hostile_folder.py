"""A folder built to hurt: every kind of hostile file is a listed problem, the scan goes on, nothing hangs.

The corpus is built here, on disk, by the test: structure bombs (deep JSON, a number of thousands of
digits, deep e-mail, a Word file that unpacks to too many paragraphs, an HTML page of too many elements), special files (a named pipe, a link
to a device), a link leaving the folder, names that are not UTF-8 or carry terminal escapes, text in
UTF-32 and UTF-8 with a Latin-1 line. Scans run in a thread with a time bound, so a hang fails the test
instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import threading
import zipfile
from pathlib import Path

import pytest

from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text, write_cluster_csv, write_json
from newsdedup.ingest.formats import MAX_HTML_ELEMENTS, MAX_WORD_PARAGRAPHS
from newsdedup.model import FileStatus
from newsdedup.pipeline import scan
from newsdedup.workspace.rescan import RescanCounts, rescan

ARTICLE = ("The city council approved the harbour budget on Tuesday after a long debate about the bridge "
           "repairs, the school roof and the new bus lanes along the river. ") * 5
BAD_NAME = b"caf\xe9.txt"


def bounded(fn, *args, seconds=120, **kwargs):
    """``fn(*args)``, failing the test if it has not returned in ``seconds`` (a hang)."""
    out: dict = {}

    def run():
        try:
            out["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the test thread
            out["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn.__name__} still running after {seconds} s: it hangs"
    if "error" in out:
        raise out["error"]
    return out["value"]


def word_bomb(path: Path, paragraphs: int) -> None:
    docx = pytest.importorskip("docx")
    plain = path.with_suffix(".plain")
    docx.Document().save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, rest = data.partition(b"<w:body>")
                data = head + b"<w:body>" + b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * paragraphs + rest
            out.writestr(item, data)
    plain.unlink()


def hostile_folder(base: Path) -> Path:
    folder = base / "drop"
    folder.mkdir()
    (folder / "good.txt").write_text("Harbour budget approved\n\n" + ARTICLE, encoding="utf-8")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "number.json").write_text('{"id": 1, "text": "x", "n": ' + "7" * 20_000 + "}")
    (folder / "feed.jsonl").write_text(json.dumps({"id": "ok", "text": ARTICLE.replace("city", "town")}) + "\n"
                                       + '{"a":' * 50_000 + "\n")
    n = 3000
    (folder / "deep.eml").write_text(
        "From: a@b.c\nSubject: deep\nMIME-Version: 1.0\n"
        + "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(n))
        + "Content-Type: text/plain\n\nhello\n" + "".join(f"\n--b{i}--\n" for i in reversed(range(n))))
    word_bomb(folder / "bomb.docx", MAX_WORD_PARAGRAPHS + 10)
    (folder / "huge.html").write_text("<html><body>" + "<p>A line of the page.</p>" * (MAX_HTML_ELEMENTS + 1)
                                      + "</body></html>")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    outside = base / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET diary\n\n" + ARTICLE.replace("city", "village"))
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "away").symlink_to(outside, target_is_directory=True)
    with open(os.path.join(os.fsencode(folder), BAD_NAME), "wb") as fh:
        fh.write(b"Cafe opens\n\n" + ARTICLE.replace("council", "cafe").encode())
    (folder / "evil\x1b]0;owned\x07.txt").write_bytes(b"\x00\x01 binary")
    (folder / "u32.txt").write_bytes(("Zürich report\n\n" + ARTICLE.replace("city", "canton")).encode("utf-32"))
    mixed = "\n".join(f"Ligne {i}: le café, l’été, déjà vu, la mairie vote le budget du port." for i in range(30))
    (folder / "mixed.txt").write_bytes(mixed.encode("utf-8") + b"\nUne ligne en latin-1: caf\xe9 cr\xe8me\n")
    return folder


EXPECTED_PROBLEMS = {
    "deep.json": "nested too deeply",
    "number.json": "digits",
    "deep.eml": "nested too deeply",
    "bomb.docx": "too many paragraphs",
    "huge.html": "too complex",
    "pipe.txt": "named pipe",
    "zero.txt": "outside the folder",
    "secret.txt": "outside the folder",
    "away": "outside the folder",
    "evil\x1b]0;owned\x07.txt": "binary",
}


def _check(result) -> None:
    reasons = {p.path: p.reason for p in result.problems}
    for name, needle in EXPECTED_PROBLEMS.items():
        assert needle in reasons.get(name, ""), (name, reasons.get(name))
    assert "line 2" in reasons["feed.jsonl"] and "nested too deeply" in reasons["feed.jsonl"]
    texts = {d.path: d for d in result.documents}
    assert set(texts) == {"good.txt", "feed.jsonl", "caf\\xe9.txt", "u32.txt", "mixed.txt"}
    assert not any("SECRET" in d.text for d in result.documents)
    assert texts["u32.txt"].encoding == "utf-32" and texts["u32.txt"].text.startswith("Zürich report")
    assert texts["mixed.txt"].text.count("l’été") == 30 and "café crème" in texts["mixed.txt"].text
    for entry in result.files:
        entry.path.encode("utf-8")  # every name can be shown and saved


def test_a_hostile_folder_is_scanned_with_every_bad_file_a_problem(tmp_path):
    folder = hostile_folder(tmp_path)
    result = bounded(scan, [folder])
    _check(result)
    write_cluster_csv(result, tmp_path / "c.csv")
    write_json(result, tmp_path / "r.json")
    assert "caf\\xe9.txt" in (tmp_path / "c.csv").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["documents"]


def test_a_hostile_folder_in_a_workspace_scans_and_rescans_alike(tmp_path):
    folder = hostile_folder(tmp_path)
    path = tmp_path / "p.newsdedup"
    first = bounded(rescan, path, [folder])
    _check(first)
    counts = RescanCounts()
    again = bounded(rescan, path, counts=counts)
    _check(again)
    assert counts.files_opened == 0
    assert csv_text(CLUSTER_COLUMNS, cluster_rows(again)) == csv_text(CLUSTER_COLUMNS, cluster_rows(first))


def test_links_leaving_the_folder_are_read_when_the_user_asks(tmp_path):
    from newsdedup.settings import Settings

    folder = tmp_path / "drop"
    folder.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "kept.txt").write_text("Kept elsewhere\n\n" + ARTICLE)
    (folder / "kept.txt").symlink_to(outside / "kept.txt")
    assert [f.status for f in scan([folder]).files] == [FileStatus.PROBLEM]
    followed = scan([folder], Settings(follow_links=True))
    assert [f.status for f in followed.files] == [FileStatus.READ]
