"""Cluster and pairs CSV as a spreadsheet user reads them, and exports that fail leave nothing."""

from __future__ import annotations

import csv
import resource
import signal

import pytest

from newsdedup.export import (
    CLUSTER_COLUMNS,
    PAIR_COLUMNS,
    ExportError,
    cluster_rows,
    safe_cell,
    write_atomic,
    write_cluster_csv,
    write_pairs_csv,
)
from newsdedup.pipeline import scan


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_cluster_csv_reads_back_row_for_row(seeds_result, tmp_path):
    out = tmp_path / "clusters.csv"
    n = write_cluster_csv(seeds_result, out)
    rows = _read_csv(out)
    assert tuple(rows[0]) == CLUSTER_COLUMNS
    assert n == len(rows) - 1 == len(seeds_result.stories)
    expected = cluster_rows(seeds_result)
    for got, want in zip(rows[1:], expected, strict=True):
        assert got == [safe_cell(want[c]) for c in CLUSTER_COLUMNS]
    by_id = {r[CLUSTER_COLUMNS.index("story_id")]: r for r in rows[1:]}
    davos = by_id["001_290fdad124de14e5.txt#1"]
    assert davos[CLUSTER_COLUMNS.index("path")] == "001_290fdad124de14e5.txt"
    assert davos[CLUSTER_COLUMNS.index("story_index")] == "1"
    assert davos[CLUSTER_COLUMNS.index("published")].startswith("2025-01-2")


def test_pairs_csv_has_the_partial_reuse(seeds_result, tmp_path):
    out = tmp_path / "pairs.csv"
    write_pairs_csv(seeds_result, out)
    rows = _read_csv(out)
    assert tuple(rows[0]) == PAIR_COLUMNS
    named = [dict(zip(PAIR_COLUMNS, r)) for r in rows[1:]]
    pairs = {(r["story_a"], r["story_b"]): r for r in named}
    reuse = pairs[("000_8d0c082b0df052da.txt#0", "001_290fdad124de14e5.txt#0")]
    assert reuse["relation"] == "partial_reuse"
    # both titles beside the ids, as the stories carry them
    assert reuse["title_a"] == seeds_result.story(reuse["story_a"]).title != ""
    assert reuse["title_b"] == seeds_result.story(reuse["story_b"]).title != ""


def test_cluster_csv_gives_the_size_of_each_story_copy_group(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    text = ("The finance minister said on Tuesday that the budget deficit would narrow next year as tax "
            "receipts rose faster than expected, and that spending on roads would be cut by a tenth.")
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "other.txt").write_text("Heavy rain flooded the lower town overnight and the river rose "
                                      "above its banks for the first time since the spring.", encoding="utf-8")
    out = tmp_path / "clusters.csv"
    write_cluster_csv(scan([folder]), out)
    rows = _read_csv(out)
    size = {r[CLUSTER_COLUMNS.index("path")]: r[CLUSTER_COLUMNS.index("group_size")] for r in rows[1:]}
    assert size == {"a.txt": "3", "b.txt": "3", "c.txt": "3", "other.txt": "1"}


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(cell):
    assert safe_cell(cell) == "'" + cell


def test_quotes_commas_and_newlines_survive_a_round_trip(tmp_path):
    from newsdedup.export import csv_text

    tricky = 'He said, "no"\nthen left'
    path = tmp_path / "t.csv"
    write_atomic(path, csv_text(["a", "b"], [{"a": tricky, "b": "Ukraine’s"}]))
    assert _read_csv(path)[1] == [tricky, "Ukraine’s"]


def test_a_failed_export_leaves_nothing_half_written(tmp_path, seeds_result):
    target = tmp_path / "out.csv"
    target.mkdir()  # the move into place fails, as on a full disk or a locked file
    (target / "keep.txt").write_text("previous\n")
    with pytest.raises(ExportError, match="cannot write"):
        write_cluster_csv(seeds_result, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert (target / "keep.txt").read_text() == "previous\n"


def test_an_error_while_writing_removes_the_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("previous export\n")
    # A real write failure: a file-size limit (as a full disk would), with the signal it sends ignored.
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, old_limit[1]))
    try:
        with pytest.raises(ExportError, match="too large"):
            write_atomic(target, "x" * 100_000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert target.read_text() == "previous export\n"


def test_text_that_is_not_valid_utf8_is_written_escaped_not_refused(tmp_path):
    target = tmp_path / "out.csv"
    write_atomic(target, "caf\udce9.txt and a lone \ud800\n")
    assert target.read_text(encoding="utf-8") == "caf\\udce9.txt and a lone \\ud800\n"


def test_export_into_a_missing_folder_says_so(tmp_path, seeds_result):
    with pytest.raises(ExportError, match="does not exist"):
        write_cluster_csv(seeds_result, tmp_path / "nope" / "out.csv")
