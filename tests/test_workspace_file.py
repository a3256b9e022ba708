"""A workspace file on disk: refusals that leave a file untouched, read-only opening, and the upgrade
from the first schema."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib

import pytest

from newsdedup.corrections.decisions import NotDuplicate, RenameEvent
from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text
from newsdedup.pipeline import scan
from newsdedup.workspace import schema as workspace_schema
from newsdedup.workspace.rescan import RescanCounts, rescan
from newsdedup.workspace.store import Workspace, WorkspaceError


def csv_of(result) -> str:
    return csv_text(CLUSTER_COLUMNS, cluster_rows(result))


def _fingerprint(path):
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_size


def _refused(path, *needles):
    before = _fingerprint(path)
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(path)
    message = str(err.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message
    assert _fingerprint(path) == before, "a refused file must be left exactly as it was"
    assert not path.with_name(path.name + "-wal").exists() or path.with_name(path.name + "-wal").stat().st_size == 0


def test_a_text_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.newsdedup"
    path.write_text("these are my notes, not a workspace\n" * 50, encoding="utf-8")
    _refused(path, "not an SQLite file")


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (name TEXT)")
    conn.execute("INSERT INTO photos VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    _refused(path, "another program")


def test_a_workspace_from_a_newer_version_is_refused(tmp_path, desk):
    path = tmp_path / "new.newsdedup"
    rescan(path, [desk])
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {workspace_schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    _refused(path, "newer newsdedup", "open it with the newer version")


def test_a_damaged_workspace_is_refused(tmp_path, desk):
    path = tmp_path / "damaged.newsdedup"
    rescan(path, [desk])
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    page = 4096
    data[3 * page:6 * page] = os.urandom(3 * page)  # pages of tables and indexes overwritten
    path.write_bytes(bytes(data))
    _refused(path, "damaged", "backup")


def test_a_missing_workspace_says_so(tmp_path):
    with pytest.raises(WorkspaceError, match="no such workspace"):
        Workspace.open(tmp_path / "nowhere.newsdedup")
    assert not (tmp_path / "nowhere.newsdedup").exists()


def test_a_read_only_file_opens_read_only_and_refuses_writes(tmp_path, desk):
    path = tmp_path / "shared.newsdedup"
    result = rescan(path, [desk])
    with Workspace.open(path) as ws:
        kept = ws.add_decision(RenameEvent(result.stories[0].story_id, "Rutte on Ukraine"))
    os.chmod(path, 0o444)  # as root, only the file's mode says "read-only": it is honoured all the same
    before = _fingerprint(path)
    try:
        with Workspace.open(path) as ws:
            assert ws.read_only and "read-only" in ws.read_only_reason
            assert csv_of(ws.load()) == csv_of(result)
            assert ws.decisions() == [kept]
            with pytest.raises(WorkspaceError, match="read-only"):
                ws.add_decision(NotDuplicate("a", "b"))
            with pytest.raises(WorkspaceError, match="read-only"):
                ws.remove_decision(kept.decision_id)
        with pytest.raises(WorkspaceError, match="read-only"):
            rescan(path)
        assert _fingerprint(path) == before
        with Workspace.open(path) as ws, ws.save_as(tmp_path / "mine.newsdedup") as copy:
            assert not copy.read_only
            copy.add_decision(NotDuplicate("a", "b"))  # the copy takes what the original may not
            assert len(copy.decisions()) == 2
    finally:
        os.chmod(path, 0o644)


def test_opening_read_only_on_request_writes_nothing(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    before = _fingerprint(path)
    with Workspace.open(path, read_only=True) as ws:
        assert ws.read_only and ws.load() is not None
        with pytest.raises(WorkspaceError):
            ws.set_folders([desk])
    assert _fingerprint(path) == before


def _write_first_schema(path, result, decisions, desk):
    """A workspace as the first schema (version 1) wrote it: spans as JSON in the stories table."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    workspace_schema.create_v1(conn)
    conn.execute("INSERT INTO folders VALUES (0, ?)", (str(desk.resolve()),))
    for key, value in (("scan_settings", json.dumps({})), ("scanned", "2026-01-01T00:00:00+00:00"),
                       ("result_settings", json.dumps(result.settings, default=str))):
        conn.execute("INSERT INTO settings VALUES (?, ?)", (key, value))
    by_doc = {}
    for n, entry in enumerate(result.files):
        f = desk / entry.path
        st = f.stat()
        import hashlib

        file_id = conn.execute(
            "INSERT INTO files (position, root, path, size, mtime_ns, content_hash, status, reason, documents, "
            "problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
            (n, str(desk.resolve()), entry.path, st.st_size, st.st_mtime_ns,
             hashlib.sha256(f.read_bytes()).hexdigest(), entry.status.value, entry.reason, entry.documents)
        ).lastrowid
        for k, d in enumerate(x for x in result.documents if x.path == entry.path):
            by_doc[d.doc_id] = conn.execute(
                "INSERT INTO documents (file_id, position, doc_id, path, root, record_id, title, source, published, "
                "date_provenance, fmt, encoding, content_hash, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (file_id, k, d.doc_id, d.path, str(desk.resolve()), d.record_id, d.title, d.source, None,
                 d.date_provenance.value, d.fmt, d.encoding, d.content_hash, zlib.compress(d.text.encode()))
            ).lastrowid
    for s in result.stories:
        spans = json.dumps([{"start": b.start, "end": b.end, "kind": b.kind, "support": b.support}
                            for b in s.boilerplate])
        conn.execute(
            "INSERT INTO stories (doc_row, story_index, story_id, start, end, dateline, title, source, published, "
            "date_provenance, partial_date, words, boilerplate_words, signature, boilerplate) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, ?)",
            (by_doc[s.doc_id], s.story_index, s.story_id, s.start, s.end, s.dateline, s.title, s.source,
             s.published.isoformat() if s.published else None, s.date_provenance.value, s.words,
             s.boilerplate_words, spans))
    from newsdedup.workspace import saved_scan

    saved_scan.save_outcome(conn, result)
    for d in decisions:
        from newsdedup.corrections.decisions import to_record

        conn.execute("INSERT INTO decisions (kind, payload, created) VALUES (?, ?, '2026-01-01T00:00:00+00:00')",
                     to_record(d))
    conn.commit()
    conn.close()


def test_a_first_schema_workspace_is_upgraded_and_keeps_everything(tmp_path, desk):
    result = scan([desk])
    path = tmp_path / "old.newsdedup"
    rename = RenameEvent(result.events[0].story_ids[0], "Rutte on Ukraine")
    _write_first_schema(path, result, [rename], desk)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    with Workspace.open(path) as ws:
        assert ws.connection.execute("PRAGMA user_version").fetchone()[0] == workspace_schema.SCHEMA_VERSION
        loaded = ws.load()
        assert csv_of(loaded) == csv_of(result), "the upgraded file shows the saved result as it was"
        assert [s.boilerplate for s in loaded.stories] == [s.boilerplate for s in result.stories]
        assert [type(d) for d in ws.decisions()] == [RenameEvent]
    counts = RescanCounts()
    again = rescan(path, counts=counts)
    assert counts.files_opened == 0, "the upgrade redoes per-document work from the stored text"
    assert counts.documents_read == len(result.documents)
    assert again.events[0].label == "Rutte on Ukraine"
    counts = RescanCounts()
    rescan(path, counts=counts)
    assert counts.documents_read == 0 and counts.documents_reused == len(result.documents)


def test_new_refuses_an_existing_file_unless_told_to_replace_it(tmp_path):
    path = tmp_path / "p.newsdedup"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="exists already"):
        Workspace.create(path)
    assert path.read_text(encoding="utf-8") == "keep me"
    with Workspace.create(path, replace=True) as ws:
        assert ws.load() is None and ws.decisions() == [] and not ws.read_only


def _mount(*args) -> bool:
    import subprocess

    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def test_a_workspace_on_a_read_only_medium_opens_read_only(tmp_path, desk):
    medium = tmp_path / "medium"
    medium.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(medium)):
        pytest.skip("needs the right to mount a file system (to make a real read-only medium)")
    try:
        path = medium / "archive.newsdedup"
        saved = rescan(path, [desk])
        assert _mount("-o", "remount,ro", str(medium))
        before = _fingerprint(path)
        with Workspace.open(path) as ws:
            assert ws.read_only and "read-only medium" in ws.read_only_reason
            assert csv_of(ws.load()) == csv_of(saved)
            with pytest.raises(WorkspaceError, match="read-only"):
                ws.add_decision(NotDuplicate("a", "b"))
        assert _fingerprint(path) == before
    finally:
        import subprocess

        subprocess.run(["umount", str(medium)], capture_output=True)


def test_event_settings_saved_by_the_earlier_event_grouping_are_not_misread(tmp_path, desk):
    # the earlier version saved a centroid threshold (0.25), ten neighbours and a relative coherence (0.4);
    # their meanings changed with the link-share grouping, so they must fall back to today's defaults
    from newsdedup.events.cluster import EventSettings

    path = tmp_path / "old.newsdedup"
    rescan(path, [desk])
    old = {"events": {"similarity": 0.25, "neighbours": 10, "coherence": 0.4, "linkage": "centroid",
                      "window_days": 20}}
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'scan_settings'", (json.dumps(old),))
    conn.close()
    with Workspace.open(path) as ws:
        events = ws.settings().events
    assert events == EventSettings(window_days=20)  # what kept its meaning is kept


def test_save_as_onto_a_link_leaves_the_link_and_its_target(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    rescan(path, [desk])
    target = tmp_path / "elsewhere.txt"
    target.write_text("my notes", encoding="utf-8")
    link = tmp_path / "copy.newsdedup"
    link.symlink_to(target)
    with Workspace.open(path) as ws, pytest.raises(WorkspaceError, match="a link"):
        ws.save_as(link)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "my notes"
    assert not list(tmp_path.glob(".*.part"))
