"""Faults around a workspace: two rescans at once, a full disk, a read-only file, folders that vanish.

Each fault is real: two rescans of one file interleaved, SQLite's own "database or disk is full" (its page
limit reached), a file marked read-only, a folder emptied or renamed, a subfolder another user cannot
list. What a user checks: a plain message, the saved scan and the decisions as they were, no stray files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from newsdedup.corrections.decisions import RenameEvent
from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text
from newsdedup.workspace.rescan import RescanCounts, rescan, run_rescan
from newsdedup.workspace.store import Workspace, WorkspaceError

NOBODY = 65534


def csv_of(result) -> str:
    return csv_text(CLUSTER_COLUMNS, cluster_rows(result))


def test_two_rescans_at_once_the_later_one_saves_nothing_and_says_why(tmp_path, desk, seeds_dir):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", desk / "new.txt")
    slow = run_rescan(path)
    for p in slow:
        if p.stage == "read":
            break  # it has read the workspace; another rescan starts and finishes now
    done = rescan(path)
    with pytest.raises(WorkspaceError, match="rescanned by another newsdedup"):
        for _ in slow:
            pass
    counts = RescanCounts()
    assert csv_of(rescan(path, counts=counts)) == csv_of(done)
    assert counts.files_opened == 0


def test_a_full_disk_while_saving_says_so_and_keeps_what_was_saved(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    with Workspace.open(path) as ws:
        pages = ws.connection.execute("PRAGMA page_count").fetchone()[0]
        ws.connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's SQLITE_FULL, as on a full disk
        with pytest.raises(WorkspaceError, match="the disk is full"):
            ws.add_decision(RenameEvent(first.events[0].story_ids[0], "x" * 200_000))
        assert ws.decisions() == []
    with Workspace.open(path) as ws:
        assert csv_of(ws.load()) == csv_of(first)


def test_a_read_only_workspace_leaves_no_journal_files_beside_it(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    path.chmod(0o444)
    with Workspace.open(path) as ws:
        assert ws.read_only
        assert csv_of(ws.load()) == csv_of(first)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk", "p.newsdedup"]


def test_an_emptied_folder_keeps_its_stories_until_it_comes_back(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [desk])
    away = tmp_path / "away"
    away.mkdir()
    for f in desk.iterdir():
        f.rename(away / f.name)  # what an unmounted drive's folder looks like: there, and empty
    counts = RescanCounts()
    empty = rescan(path, counts=counts)
    assert csv_of(empty) == csv_of(first) and counts.removed == 0
    assert any("unavailable: it is empty" in p.reason for p in empty.problems)
    for f in away.iterdir():
        f.rename(desk / f.name)
    counts = RescanCounts()
    assert csv_of(rescan(path, counts=counts)) == csv_of(first)
    assert counts.files_opened == 0


def test_a_removed_folder_takes_its_stories_with_it(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    shutil.rmtree(desk)
    with Workspace.open(path) as ws:
        ws.set_folders([])
    assert rescan(path).stories == ()


def _as_nobody(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                           sys.executable, "-m", "newsdedup", "scan", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs another user to lose permission (root ignores it)")
def test_unreadable_folders_are_problems_and_keep_what_was_saved(desk):
    home = Path(tempfile.mkdtemp())  # pytest's own folder is root's alone: the other user needs a way in
    try:
        _unreadable_folders(home, Path(shutil.copytree(desk, home / "desk")))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _unreadable_folders(home: Path, desk: Path) -> None:
    (desk / "locked").mkdir()
    shutil.copy(desk / "copy.txt", desk / "locked" / "inside.txt")
    for p in [home, *home.rglob("*")]:
        shutil.chown(p, NOBODY, NOBODY)
    home.chmod(0o755)
    ws = home / "p.newsdedup"
    first = _as_nobody(desk, "--workspace", ws)
    assert first.returncode == 0 and "stories:           8" in first.stdout, first.stderr
    (desk / "locked").chmod(0)
    locked = _as_nobody("--workspace", ws)
    assert locked.returncode == 0 and "Traceback" not in locked.stderr
    assert "problem: locked: a folder that cannot be read" in locked.stdout
    assert "stories:           8" in locked.stdout  # the locked subfolder's story is kept as saved
    desk.chmod(0)
    gone = _as_nobody("--workspace", ws)
    assert "folder unavailable: it cannot be read" in gone.stdout and "stories:           8" in gone.stdout
    desk.chmod(0o755)


def test_a_folder_whose_name_is_not_utf8_is_kept_and_rescanned(tmp_path, desk):
    odd = os.path.join(os.fsencode(tmp_path), b"d\xe9p\xeache")
    shutil.copytree(desk, os.fsdecode(odd))
    path = tmp_path / "p.newsdedup"
    first = rescan(path, [Path(os.fsdecode(odd))])
    assert first.documents[0].root.endswith("d\\xe9p\\xeache")
    counts = RescanCounts()
    assert csv_of(rescan(path, counts=counts)) == csv_of(first)
    assert counts.unchanged == len(first.files) and counts.unavailable == 0
