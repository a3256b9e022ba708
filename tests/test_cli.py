"""The command line as a newcomer uses it: the README's scan, and clear one-line errors."""

from __future__ import annotations

import csv
import subprocess
import sys

from newsdedup import __version__
from newsdedup.export import CLUSTER_COLUMNS, PAIR_COLUMNS


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "newsdedup", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_scan_of_the_sample_writes_both_csvs_and_a_summary(seeds_dir, tmp_path):
    proc = run("scan", seeds_dir, "--csv", tmp_path / "clusters.csv", "--pairs-csv", tmp_path / "pairs.csv")
    assert proc.returncode == 0, proc.stderr
    for label in ("files read:", "stories:", "events:", "duplicate groups:", "boilerplate lines:", "problems:"):
        assert label in proc.stdout
    assert "files read:        5" in proc.stdout and "stories:           6" in proc.stdout
    # not a terminal: no bar redrawn over itself, plain progress lines a batch job's log can keep
    assert "\r" not in proc.stderr and "\x1b" not in proc.stderr
    with open(tmp_path / "clusters.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == CLUSTER_COLUMNS and len(rows) == 6
    with open(tmp_path / "pairs.csv", newline="", encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == PAIR_COLUMNS


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"newsdedup {__version__}"


def _one_line_error(proc, *needles):
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0]


def test_missing_path(tmp_path):
    _one_line_error(run("scan", tmp_path / "no-such-folder"), "no-such-folder", "no such file or folder")


def test_unwritable_output(seeds_dir, tmp_path):
    _one_line_error(run("scan", seeds_dir, "--csv", tmp_path / "missing" / "c.csv"), "--csv", "does not exist")


def test_unknown_option(seeds_dir):
    _one_line_error(run("scan", seeds_dir, "--frobnicate"), "--frobnicate", "--help")


def test_jsonl_records_are_followed_from_input_to_csv(tmp_path):
    import json

    text = ("BRUSSELS (AP) — NATO foreign ministers met on Tuesday to discuss support for Ukraine and "
            "the alliance's plans for the winter, officials said after the meeting.")
    recs = [{"id": "a-1", "date": "2024-12-03", "source": "AP", "title": "Ministers meet", "text": text},
            {"id": "b-2", "date": None, "source": None, "title": "Other", "text": "Storms hit the coast again."}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    proc = run("scan", feed, "--csv", tmp_path / "c.csv")
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "c.csv", newline="", encoding="utf-8") as fh:
        rows = {r["record_id"]: r for r in csv.DictReader(fh)}
    assert rows["a-1"]["story_id"] == "feed.jsonl#a-1#0" and rows["a-1"]["path"] == "feed.jsonl"
    assert rows["a-1"]["published"] == "2024-12-03" and rows["a-1"]["source"] == "AP"
