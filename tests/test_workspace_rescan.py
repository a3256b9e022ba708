"""Rescanning a workspace: only changed files are read, and what comes out is what a full scan gives."""

from __future__ import annotations

import os
import shutil

from newsdedup.export import CLUSTER_COLUMNS, PAIR_COLUMNS, cluster_rows, csv_text, pair_rows
from newsdedup.pipeline import scan
from newsdedup.workspace.rescan import RescanCounts, rescan, run_rescan
from newsdedup.workspace.store import Workspace


def csv_of(result) -> str:
    return csv_text(CLUSTER_COLUMNS, cluster_rows(result))


def pairs_of(result) -> str:
    return csv_text(PAIR_COLUMNS, pair_rows(result))


def test_first_scan_into_a_workspace_is_the_plain_scan(tmp_path, desk):
    counts = RescanCounts()
    result = rescan(tmp_path / "p.newsdedup", [desk], counts=counts)
    plain = scan([desk])
    assert csv_of(result) == csv_of(plain) and pairs_of(result) == pairs_of(plain)
    assert counts.added == 6 and counts.documents_read == 6 and counts.documents_reused == 0
    with Workspace.open(tmp_path / "p.newsdedup") as ws:
        assert ws.folders() == [desk.resolve()]
        loaded = ws.load()
    assert loaded.documents == plain.documents and loaded.stories == plain.stories
    assert loaded.files == plain.files and loaded.problems == plain.problems


def test_an_unchanged_rescan_opens_no_file_and_writes_the_same_csv_byte_for_byte(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.unchanged == 6 and counts.files_opened == 0
    assert counts.documents_read == 0 and counts.stories_fingerprinted == 0
    assert csv_of(again).encode("utf-8") == csv_of(first).encode("utf-8")
    assert pairs_of(again) == pairs_of(first)


def test_a_touched_file_is_hashed_not_reread(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    f = desk / "copy.txt"
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 5_000_000_000))
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.same_content == 1 and counts.changed == 0 and counts.documents_read == 0
    assert csv_of(again) == csv_of(first)
    counts = RescanCounts()
    rescan(path, counts=counts)
    assert counts.unchanged == 6, "the new mtime was saved"


def test_edited_added_and_removed_files_give_what_a_full_scan_gives(tmp_path, desk, seeds_dir):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    first = sorted(desk.glob("0*.txt"))
    first[0].write_text(first[0].read_text(encoding="utf-8") + "\nA line the editor added at the end.\n",
                        encoding="utf-8")
    first[2].unlink()
    shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", desk / "new.txt")
    (desk / "picture.png").write_bytes(b"\x89PNG not an article")
    counts = RescanCounts()
    result = rescan(path, counts=counts)
    assert (counts.changed, counts.added, counts.removed, counts.unchanged) == (1, 2, 1, 4)
    assert counts.documents_read == 2 and counts.documents_reused == 4
    plain = scan([desk])
    assert csv_of(result) == csv_of(plain) and pairs_of(result) == pairs_of(plain)
    assert result.files == plain.files
    with Workspace.open(path) as ws:
        assert csv_of(ws.load()) == csv_of(plain)


def test_a_missing_folder_keeps_its_stories_marked_unavailable_and_drops_nothing(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    moved = tmp_path / "elsewhere"
    desk.rename(moved)
    counts = RescanCounts()
    while_gone = rescan(path, counts=counts)
    assert csv_of(while_gone) == csv_of(first)
    assert counts.unavailable == len(first.files) and counts.removed == 0
    assert [p.path for p in while_gone.problems if "unavailable" in p.reason] == [str(desk)]
    moved.rename(desk)
    counts = RescanCounts()
    assert csv_of(rescan(path, counts=counts)) == csv_of(first)
    assert counts.files_opened == 0


def test_a_cancelled_rescan_leaves_the_last_saved_state(tmp_path, desk, seeds_dir):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", desk / "new.txt")
    gen = run_rescan(path)
    for p in gen:
        if p.stage == "save":
            break  # the user pressed Cancel while it was saving
    gen.close()
    with Workspace.open(path) as ws:
        assert csv_of(ws.load()) == csv_of(first)
    counts = RescanCounts()
    rescan(path, counts=counts)
    assert counts.added == 1


def test_changed_settings_redo_what_they_touch(tmp_path, desk):
    import dataclasses

    from newsdedup.settings import Settings

    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    strict = Settings(duplicates=dataclasses.replace(Settings().duplicates, near_duplicate_jaccard=0.99))
    counts = RescanCounts()
    result = rescan(path, settings=strict, counts=counts)
    assert counts.files_opened == 0
    assert csv_of(result) == csv_of(scan([desk], strict))
    with Workspace.open(path) as ws:
        assert ws.settings() == strict


SIGN_OFF = "Reporting by the Harbour Desk; editing by Jo Smith. Send tips to the desk any time of day."


def _two_outlets(root, seeds_dir):
    """Folder "seeds" (the sample) and folder "wire": six different short stories that end with one
    sign-off, which the outlet pass marks as boilerplate."""
    (root / "seeds").mkdir(parents=True)
    for f in sorted(seeds_dir.glob("*.txt")):
        (root / "seeds" / f.name).write_bytes(f.read_bytes())
    (root / "wire").mkdir()
    text = (seeds_dir / "000_8d0c082b0df052da.txt").read_text(encoding="utf-8")
    paras = [p for p in text.split("\n\n") if len(p.split()) > 25]
    for i in range(6):
        body = "\n\n".join(paras[(i * 2) % len(paras):(i * 2) % len(paras) + 2])
        (root / "wire" / f"w{i}.txt").write_text(f"Wire story {i}\n\n{body}\n\n{SIGN_OFF}\n", encoding="utf-8")


def test_a_change_in_one_outlet_redoes_only_that_outlets_boilerplate(tmp_path, seeds_dir):
    root = tmp_path / "desk"
    _two_outlets(root, seeds_dir)
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [root])
    wire = [s for s in first.stories if s.source == "wire"]
    assert all(any(b.kind == "repeated_across_outlet" for b in s.boilerplate) for s in wire)
    report = root / "seeds" / "000_8d0c082b0df052da.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\nA late correction.\n", encoding="utf-8")
    counts = RescanCounts()
    result = rescan(path, counts=counts)
    assert counts.outlets_redone == 1 and counts.documents_read == 1
    assert csv_of(result) == csv_of(scan([root]))
    assert [s.boilerplate for s in result.stories] == [s.boilerplate for s in scan([root]).stories]
    (root / "wire" / "w5.txt").unlink()
    counts = RescanCounts()
    result = rescan(path, counts=counts)
    assert counts.outlets_redone == 1 and counts.removed == 1
    assert [s.boilerplate for s in result.stories] == [s.boilerplate for s in scan([root]).stories]


def test_two_folders_holding_files_of_the_same_name_keep_both_articles(tmp_path, seeds_dir):
    # a download tool names every article "story.txt": two days' folders dropped together are two articles
    monday, tuesday = tmp_path / "monday", tmp_path / "tuesday"
    monday.mkdir()
    tuesday.mkdir()
    shutil.copy(seeds_dir / "000_8d0c082b0df052da.txt", monday / "story.txt")
    shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", tuesday / "story.txt")
    result = scan([monday, tuesday])
    assert [d.path for d in result.documents] == ["story.txt", "tuesday/story.txt"]
    texts = {d.path: d.text for d in result.documents}
    assert "Sidesteps" in texts["story.txt"] and "Sidesteps" not in texts["tuesday/story.txt"]
    assert not result.relations  # two different articles, not copies of one
    assert len(result.events) == 2
    # a workspace of the two folders names them the same way scan after scan
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [monday, tuesday])
    counts = RescanCounts()
    again = rescan(path, [monday, tuesday], counts=counts)
    assert counts.unchanged == 2 and counts.added == 0 and counts.removed == 0
    assert csv_of(again) == csv_of(first) == csv_of(result)
