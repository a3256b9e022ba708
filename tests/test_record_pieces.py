"""A big JSON Lines file is read in pieces on the workers, and gives exactly what reading it whole gives:
the same documents (ids, texts, dates), the same file entry and note, the same problems, the same scan."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsdedup import batches
from newsdedup.export import write_cluster_csv, write_json, write_pairs_csv
from newsdedup.ingest.files import read_one
from newsdedup.ingest.walk import named_files
from newsdedup.model import finish
from newsdedup.pipeline import scan
from newsdedup.pool import Pool
from newsdedup.settings import Settings

PIECE = 3000  # bytes: a file of a few dozen records is cut into many pieces


def _records(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    words = ("council budget harbour strike vote ferry museum election court river police mayor school "
             "hospital bridge storm market festival airport rail").split()
    lines = []
    for i in range(n):
        rec = {"title": f"Item {i}", "text": " ".join(rng.choice(words) for _ in range(60)) + ".",
               "date": f"2024-03-{1 + i % 27:02d}", "source": "Wire"}
        if i % 7:  # every seventh record has no id: its id is its number in the file
            rec["id"] = f"w{i}"
        lines.append(json.dumps(rec, ensure_ascii=i % 2 == 0))
    return lines


def _write(path: Path, lines: list[str], end: str = "\n", head: bytes = b"") -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(head + end.join(lines).encode("utf-8") + end.encode())
    return path


def _both(path: Path, monkeypatch, workers: int = 1):
    """(read in pieces, read whole): documents, file entries, problems."""
    monkeypatch.setattr(batches, "PIECE_BYTES", PIECE)
    found = list(named_files([path.parent]))
    assert batches.file_batches(found, Settings().max_file_bytes)[0][0].count > 3  # it is cut
    with Pool(workers) as pool:
        read = finish(batches.read_files(pool, found, Settings().max_file_bytes))
    pieces = ([d for b in read for d in b.documents], [f for b in read for f in b.files],
              [p for b in read for p in b.problems])
    whole = [read_one(root, p, Settings().max_file_bytes, name, problem) for root, p, name, problem in found]
    return pieces, ([d for w in whole for d in w[0]], [w[1] for w in whole], [p for w in whole for p in w[2]])


def test_pieces_give_the_whole_file(tmp_path, monkeypatch):
    lines = _records(90)
    lines[40] = "{not json"  # a bad line in a middle piece: the records after it are numbered one less
    lines[55] = '["not", "an", "article"]'
    lines[60] = json.dumps({"id": "t60", "title": "Headline only"})
    lines.insert(20, "")
    path = _write(tmp_path / "in" / "wire.jsonl", lines, end="\r\n", head=b"\xef\xbb\xbf")
    (pieces, whole) = _both(path, monkeypatch)
    assert len(whole[0]) == 88 and any(d.record_id == "62" and d.title == "Item 63" for d in whole[0])
    assert pieces == whole
    assert "line 42" in whole[1][0].reason and len(whole[2]) == 2


def test_a_file_not_all_utf8_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "in" / "wire.jsonl"
    path.parent.mkdir()
    lines = [line.encode("utf-8") for line in _records(60)]
    lines[30] = json.dumps({"id": "x", "text": "Caf\u00e9 au lait " * 20}, ensure_ascii=False).encode("latin-1")
    path.write_bytes(b"\n".join(lines) + b"\n")
    pieces, whole = _both(path, monkeypatch, workers=2)
    assert "latin" in whole[0][30].encoding.lower() or "1252" in whole[0][30].encoding
    assert pieces == whole


def test_a_file_of_no_articles_is_one_problem(tmp_path, monkeypatch):
    path = _write(tmp_path / "in" / "numbers.jsonl", [str(n) for n in range(3000)])
    pieces, whole = _both(path, monkeypatch)
    assert not whole[0] and whole[2][0].reason.startswith("no record could be read")
    assert pieces == whole


@pytest.mark.parametrize("workers", [1, 2])
def test_a_scan_of_pieces_is_the_scan_of_the_whole_file(tmp_path, monkeypatch, workers):
    folder = tmp_path / "in"
    lines = _records(80)
    lines += lines[:30]  # copies: duplicate groups across pieces
    _write(folder / "wire.jsonl", lines)
    out = []
    for piece in (PIECE, 1 << 30):
        monkeypatch.setattr(batches, "PIECE_BYTES", piece)
        result = scan([folder], workers=workers)
        where = tmp_path / f"out{piece}"
        where.mkdir()
        write_cluster_csv(result, where / "c.csv")
        write_pairs_csv(result, where / "p.csv")
        write_json(result, where / "r.json")
        out.append([(where / n).read_bytes() for n in ("c.csv", "p.csv", "r.json")])
    assert len(result.groups) < len(result.stories) == 110
    assert out[0] == out[1]



def test_reading_one_big_file_reports_as_it_goes_and_a_log_shows_it(tmp_path, monkeypatch):
    """Progress moves within one big file (its pieces), and a batch job's log (stderr not a terminal)
    gets plain lines naming each stage (a clock that moves a second a report stands for a slow machine)."""
    import io

    from newsdedup.pipeline import run_scan
    from newsdedup.terminal import progress_reporter

    _write(tmp_path / "in" / "wire.jsonl", _records(120))
    monkeypatch.setattr(batches, "PIECE_BYTES", PIECE)
    seen = []
    clock = iter(range(10_000))
    out = io.StringIO()
    update, close = progress_reporter(out, lambda: float(next(clock)))

    def both(p):
        seen.append(p)
        update(p)

    finish(run_scan([tmp_path / "in"], workers=1), both)
    close()
    read = [p for p in seen if p.stage == "read"]
    done = [p.done for p in read]
    assert len(set(done)) >= 10 and done == sorted(done) and done[-1] == read[-1].total  # one file, many steps
    candidates = [p.done for p in seen if p.stage == "candidates"]
    assert len(set(candidates)) >= 10 and candidates == sorted(candidates)  # it moves, and only forwards
    log = out.getvalue()
    assert "\r" not in log and "\x1b" not in log
    for stage in ("read", "signatures", "candidates", "events"):
        assert f"] {stage}: " in log
    assert log.splitlines()[-1].endswith("done")


def test_signatures_and_shingles_made_in_steps_are_the_whole_ones(seeds_dir):
    """The tail's own fingerprinting (a rescan's, a decision's) reports every few thousand stories; its
    parts put end to end are what one call over all the stories gives."""
    from newsdedup.pipeline import _shingled
    from newsdedup.signatures import shingle_sets, signature_steps, signatures
    from newsdedup.stories.clean import clean_words

    result = scan([seeds_dir], workers=1)
    docs = {d.doc_id: d for d in result.documents}
    stories = list(result.stories)
    whole = shingle_sets(clean_words(docs, stories), 5)
    steps: list = []
    parts = finish(_shingled(docs, stories, 5, step=2), steps.append)
    assert len(steps) > 3 and (parts.values == whole.values).all() and (parts.offsets == whole.offsets).all()
    sigs = finish(signature_steps(whole, 128, 1, step=2))
    assert (sigs == signatures(whole, 128, 1)).all() and len(sigs) == len(stories)
