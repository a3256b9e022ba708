"""``newsdedup scan --workspace``: create, rescan, and one-line refusals of bad workspace files."""

from __future__ import annotations

import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "newsdedup", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def _one_line_error(proc, *needles):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0]


def test_scan_into_a_workspace_then_rescan_it_without_paths(tmp_path, desk):
    ws = tmp_path / "project.newsdedup"
    first = run("scan", desk, "--workspace", ws, "--csv", tmp_path / "a.csv")
    assert first.returncode == 0, first.stderr
    assert "6 new" in first.stdout and "documents: 6 read, 0 reused" in first.stdout
    again = run("scan", "--workspace", ws, "--csv", tmp_path / "b.csv")
    assert again.returncode == 0, again.stderr
    assert "6 unchanged" in again.stdout and "documents: 0 read, 6 reused" in again.stdout
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    (desk / "copy.txt").write_text("A short new text about something else entirely today.\n", encoding="utf-8")
    third = run("scan", "--workspace", ws)
    assert "5 unchanged" in third.stdout and "1 changed" in third.stdout and "1 read, 5 reused" in third.stdout


def test_a_bad_workspace_file_is_one_line_and_exit_2(tmp_path, desk):
    bad = tmp_path / "notes.newsdedup"
    bad.write_text("not a workspace\n", encoding="utf-8")
    _one_line_error(run("scan", desk, "--workspace", bad), str(bad), "not a newsdedup workspace")
    assert bad.read_text(encoding="utf-8") == "not a workspace\n"


def test_rescan_of_a_missing_workspace_or_folder(tmp_path, desk):
    _one_line_error(run("scan", "--workspace", tmp_path / "none.newsdedup"), "does not exist")
    _one_line_error(run("scan"), "--workspace")
    ws = tmp_path / "p.newsdedup"
    assert run("scan", desk, "--workspace", ws, "--quiet").returncode == 0
    desk.rename(tmp_path / "moved")
    gone = run("scan", "--workspace", ws)
    assert gone.returncode == 0 and "Traceback" not in gone.stderr
    assert "stories:           7" in gone.stdout and "folder unavailable: it is missing" in gone.stdout
    assert "6 file(s) unavailable, kept as saved" in gone.stdout
    removed = run("scan", "--workspace", ws, "--remove-folder", desk)
    assert removed.returncode == 0 and "stories:           0" in removed.stdout, removed.stdout + removed.stderr
