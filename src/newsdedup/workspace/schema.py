"""The workspace file's tables, its schema version (``PRAGMA user_version``) and the way up from old ones.

A workspace is an SQLite file whose ``application_id`` is ``APPLICATION_ID`` and whose ``user_version``
is the schema it was written with. ``migrate`` brings a file from any older version to ``SCHEMA_VERSION``
one step at a time, each step in the caller's transaction, so a file is either fully on the old schema
or fully on the new. A file from a newer version is refused (see ``workspace``), never changed.

History:
- 1: the first schema. A story's boilerplate spans were one JSON text column (the spans shown).
- 2: spans in a table of their own with a ``layer``: 0 found in the document alone, 1 added by the
  outlet pass, 2 shown in the result (after the user's decisions), so that a rescan reuses each document's
  own work and redoes only the outlet pass and the decisions; ``documents.cached`` says whether layers 0
  and 1 are known (a file migrated from 1 has only layer 2: its next rescan redoes the per-document work
  from the stored text, without reading the file).
- 3: ``source_provenance`` on documents and stories (metadata / text / folder / none): an outlet read from a
  page's furniture was reloaded as "metadata". Files from 2 have NULL there, and loading derives it as before.
- 4: ``stories.paragraphs``: what the outlet pass needs of the story's paragraphs (bounds and MinHash
  signatures, ``outlet_boilerplate.paragraphs_to_bytes``), so a rescan redoes that pass over an outlet
  without making every paragraph's signature again. NULL (files from 3): made at the next rescan.
- 5: what a rescan would otherwise make again for every story, not only the changed ones:
  ``stories.shingles``, the story's shingle set (``signatures.shingles_to_bytes``; NULL: made at the next
  rescan), and ``event_words``, the bags of words the events were made of, by a digest of the text counted
  (``events.words``). About 7 bytes per word of text together (5 of them the shingles, which do not compress).
- 6: ``word_frequencies``: each term's frequency in general text (``events.idf``), by language, as looked up
  for the events, so a rescan after a few edits does not load wordfreq's whole list (a third of a second)
  for words it looked up before. Empty in files from 5: filled at the next rescan.
"""

from __future__ import annotations

import json
import sqlite3

APPLICATION_ID = 0x4E444450  # "NDDP": a newsdedup workspace, not some other program's SQLite file
SCHEMA_VERSION = 6

LAYER_DOCUMENT, LAYER_OUTLET, LAYER_SHOWN = 0, 1, 2

_COMMON = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders (position INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE files (
    file_id INTEGER PRIMARY KEY, position INTEGER NOT NULL, root TEXT NOT NULL, path TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, content_hash TEXT NOT NULL, status TEXT NOT NULL,
    reason TEXT NOT NULL, documents INTEGER NOT NULL, problem TEXT NOT NULL, UNIQUE (root, path));
CREATE TABLE relations (
    story_a TEXT NOT NULL, story_b TEXT NOT NULL, kind TEXT NOT NULL, jaccard REAL NOT NULL,
    containment_a_in_b REAL NOT NULL, containment_b_in_a REAL NOT NULL, shared_words INTEGER NOT NULL);
CREATE TABLE duplicate_groups (
    group_id INTEGER NOT NULL, position INTEGER NOT NULL, story_id TEXT NOT NULL, relation TEXT NOT NULL,
    jaccard REAL NOT NULL, containment REAL NOT NULL, PRIMARY KEY (group_id, position)) WITHOUT ROWID;
CREATE TABLE events (
    event_id INTEGER PRIMARY KEY, label TEXT NOT NULL, start TEXT, end TEXT, terms TEXT NOT NULL);
CREATE TABLE event_stories (
    event_id INTEGER NOT NULL, position INTEGER NOT NULL, story_id TEXT NOT NULL,
    PRIMARY KEY (event_id, position)) WITHOUT ROWID;
CREATE TABLE edits (story_id TEXT PRIMARY KEY, words TEXT NOT NULL);
CREATE TABLE decisions (
    decision_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, created TEXT NOT NULL);
CREATE INDEX documents_file ON documents (file_id);
CREATE INDEX stories_document ON stories (doc_row);
"""

_DOCUMENTS_V1 = """
CREATE TABLE documents (
    doc_row INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files (file_id) ON DELETE CASCADE,
    position INTEGER NOT NULL, doc_id TEXT NOT NULL, path TEXT NOT NULL, root TEXT NOT NULL,
    record_id TEXT NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL, published TEXT,
    date_provenance TEXT NOT NULL, fmt TEXT NOT NULL, encoding TEXT NOT NULL, content_hash TEXT NOT NULL,
    text BLOB NOT NULL);
"""
_STORIES = """
CREATE TABLE stories (
    story_row INTEGER PRIMARY KEY, doc_row INTEGER NOT NULL REFERENCES documents (doc_row) ON DELETE CASCADE,
    story_index INTEGER NOT NULL, story_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    dateline TEXT NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL, published TEXT,
    date_provenance TEXT NOT NULL, partial_date TEXT, words INTEGER NOT NULL,
    boilerplate_words INTEGER NOT NULL, signature BLOB{extra});
"""
_SPANS = """
CREATE TABLE boilerplate_spans (
    story_row INTEGER NOT NULL REFERENCES stories (story_row) ON DELETE CASCADE, layer INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, kind TEXT NOT NULL, support INTEGER NOT NULL,
    kept INTEGER NOT NULL DEFAULT 0);
CREATE INDEX spans_story ON boilerplate_spans (story_row, layer);
"""

# The first schema, kept verbatim: migrations start from it and a test writes a file with it.
SCHEMA_V1 = _DOCUMENTS_V1 + _STORIES.format(extra=", boilerplate TEXT NOT NULL DEFAULT '[]'") + _COMMON


def create(conn: sqlite3.Connection) -> None:
    """Make the current schema in an empty database (inside the caller's transaction)."""
    for statement in _statements(_DOCUMENTS_V1 + _STORIES.format(extra="") + _SPANS + _COMMON):
        conn.execute(statement)
    conn.execute("ALTER TABLE documents ADD COLUMN cached INTEGER NOT NULL DEFAULT 1")
    _v2_to_v3(conn)
    _v3_to_v4(conn)
    _v4_to_v5(conn)
    _v5_to_v6(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def create_v1(conn: sqlite3.Connection) -> None:
    """Make the first schema (for tests of the migration, and nothing else)."""
    for statement in _statements(SCHEMA_V1):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    for statement in _statements(_SPANS):
        conn.execute(statement)
    rows = conn.execute("SELECT story_row, boilerplate FROM stories").fetchall()
    spans = []
    for story_row, text in rows:
        for span in json.loads(text or "[]"):
            spans.append((story_row, LAYER_SHOWN, int(span["start"]), int(span["end"]), str(span["kind"]),
                          int(span.get("support", 1))))
    conn.executemany("INSERT INTO boilerplate_spans (story_row, layer, start, end, kind, support) "
                     "VALUES (?, ?, ?, ?, ?, ?)", spans)
    conn.execute("ALTER TABLE stories DROP COLUMN boilerplate")
    # Layers 0 and 1 were never kept: the next rescan redoes each document's own work from its stored text.
    conn.execute("ALTER TABLE documents ADD COLUMN cached INTEGER NOT NULL DEFAULT 1")
    conn.execute("UPDATE documents SET cached = 0")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    for table in ("documents", "stories"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN source_provenance TEXT")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE stories ADD COLUMN paragraphs BLOB")


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE stories ADD COLUMN shingles BLOB")
    # a rowid table: rows of a few kilobytes fill a WITHOUT ROWID table's pages twice over
    conn.execute("CREATE TABLE event_words (digest BLOB PRIMARY KEY, terms BLOB NOT NULL, counts BLOB NOT NULL)")


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE word_frequencies (language TEXT NOT NULL, term TEXT NOT NULL, "
                 "frequency REAL NOT NULL, PRIMARY KEY (language, term)) WITHOUT ROWID")


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6}  # from version -> the step to version + 1


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring a database from ``version`` up to ``SCHEMA_VERSION`` (inside the caller's transaction)."""
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](conn)
        version += 1
        conn.execute(f"PRAGMA user_version = {version}")
