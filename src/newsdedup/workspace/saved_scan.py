"""What a workspace keeps of a scan, row by row: files, documents, stories, spans, and the outcome.

Per file: its size, mtime and content hash (so a rescan knows what changed), its entry in the file list
and its problem. Per document: its metadata and text (zlib), so a result is shown again without reading an
article. Per story: what it is as shown, its boilerplate in three layers (``workspace_schema``), the
day-month it names without a year, and its MinHash signature (``signatures_to_bytes``). The outcome
(relations, duplicate groups, events, edits) is rewritten whole by every save: it is small.
Nothing here opens or commits a transaction; the caller (``Workspace``, ``rescan``) does.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from newsdedup.ingest.files import source_provenance_of
from newsdedup.model import (
    BoilerplateSpan,
    DateProvenance,
    Document,
    DuplicateGroup,
    Event,
    FileEntry,
    FileStatus,
    Problem,
    Progress,
    Relation,
    ScanResult,
    SourceProvenance,
    Story,
)
from newsdedup.stories.dates import PartialDate
from newsdedup.workspace.schema import LAYER_DOCUMENT, LAYER_OUTLET, LAYER_SHOWN

_BATCH = 2000  # rows between two Progress items while saving


@dataclass
class SavedStory:
    story: Story  # as shown: spans after the user's decisions, title, date, word counts
    document_spans: tuple[BoilerplateSpan, ...] = ()  # layer 0: found in the document alone
    outlet_spans: tuple[BoilerplateSpan, ...] = ()  # layer 1: added by the outlet pass
    partial: PartialDate | None = None
    signature: bytes | None = None
    paragraphs: bytes | None = None  # the outlet pass's paragraphs of the story (schema 4), None: not known
    shingles: bytes | None = None  # its shingle set (schema 5, ``signatures.shingles_to_bytes``), None: not known


@dataclass
class SavedDocument:
    document: Document
    stories: list[SavedStory] = field(default_factory=list)
    cached: bool = True  # layers 0 and 1 are known (False after a migration from schema 1)
    doc_row: int = 0


@dataclass
class SavedFile:
    root: str
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    entry: FileEntry
    problems: tuple[Problem, ...] = ()  # the file's own, or those of a file read in part
    documents: list[SavedDocument] = field(default_factory=list)
    file_id: int = 0  # 0 until saved
    touched: bool = False  # saved, but its size or mtime changed (its content did not)
    dirty: bool = False  # saved, but its stories changed (outlet pass, decisions)


def _problems_text(problems: tuple[Problem, ...]) -> str:
    """The ``problem`` column: "" for none, else a JSON list of [path, reason] (a records file read in part
    has one per record left out, named path#id)."""
    return json.dumps([[p.path, p.reason] for p in problems]) if problems else ""


def _problems(path: str, text: str) -> tuple[Problem, ...]:
    if not text:
        return ()
    if not text.startswith("[["):  # written before files kept several problems: the file's own reason
        return (Problem(path, text),)
    return tuple(Problem(p, reason) for p, reason in json.loads(text))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _partial(text: str | None) -> PartialDate | None:
    if not text:
        return None
    head, *near = text.split(";")
    month, day, weekday, *year = (int(x) for x in head.split("-"))
    return PartialDate(month, day, weekday, tuple(dt.date.fromisoformat(d) for d in near), *year)


def _partial_text(p: PartialDate | None) -> str | None:
    """``month-day-weekday`` (and ``-year`` for a full date that awaits the folder's, see ``PartialDate``),
    then ``;`` and each date on the story's own line where its year is sought."""
    if p is None:
        return None
    year = f"-{p.year}" if p.year is not None else ""
    return ";".join([f"{p.month}-{p.day}-{p.weekday}{year}", *(d.isoformat() for d in p.near)])


def _spans(conn: sqlite3.Connection, layers: tuple[int, ...]) -> dict[tuple[int, int], list[BoilerplateSpan]]:
    out: dict[tuple[int, int], list[BoilerplateSpan]] = defaultdict(list)
    marks = ",".join("?" * len(layers))
    for row, layer, start, end, kind, support, kept in conn.execute(
            f"SELECT story_row, layer, start, end, kind, support, kept FROM boilerplate_spans "
            f"WHERE layer IN ({marks}) ORDER BY story_row, rowid", layers):
        out[(row, layer)].append(BoilerplateSpan(start, end, kind, support, bool(kept)))
    return out


def load_files(conn: sqlite3.Connection, with_cache: bool) -> list[SavedFile]:
    """Every saved file in scan order, with its documents and stories (and, ``with_cache``, the layers
    and signatures a rescan reuses)."""
    files: dict[int, SavedFile] = {}
    for (file_id, root, path, size, mtime, digest, status, reason, n, problem) in conn.execute(
            "SELECT file_id, root, path, size, mtime_ns, content_hash, status, reason, documents, problem "
            "FROM files ORDER BY position"):
        files[file_id] = SavedFile(root, path, size, mtime, digest, FileEntry(path, FileStatus(status), reason, n),
                                   _problems(path, problem), file_id=file_id)
    docs: dict[int, SavedDocument] = {}
    for (doc_row, file_id, doc_id, path, root, record_id, title, source, published, provenance, fmt, encoding,
         digest, text, cached, outlet_from) in conn.execute(
            "SELECT d.doc_row, d.file_id, d.doc_id, d.path, d.root, d.record_id, d.title, d.source, d.published, "
            "d.date_provenance, d.fmt, d.encoding, d.content_hash, d.text, d.cached, d.source_provenance "
            "FROM documents d "
            "JOIN files f USING (file_id) ORDER BY f.position, d.position"):
        doc = Document(doc_id=doc_id, path=path, root=root, record_id=record_id,
                       text=zlib.decompress(text).decode("utf-8"), title=title, source=source,
                       published=_date(published), date_provenance=DateProvenance(provenance), fmt=fmt,
                       encoding=encoding, content_hash=digest,
                       source_provenance=SourceProvenance(outlet_from) if outlet_from
                       else _saved_source_provenance(fmt, source, root, path))
        docs[doc_row] = SavedDocument(doc, cached=bool(cached), doc_row=doc_row)
        files[file_id].documents.append(docs[doc_row])
    spans = _spans(conn, (LAYER_DOCUMENT, LAYER_OUTLET, LAYER_SHOWN) if with_cache else (LAYER_SHOWN,))
    signature = ", signature, paragraphs, shingles" if with_cache else ", NULL, NULL, NULL"
    for (story_row, doc_row, index, story_id, start, end, dateline, title, source, published, provenance,
         partial, words, boiler_words, sig, paras, shingles, outlet_from) in conn.execute(
            "SELECT story_row, doc_row, story_index, story_id, start, end, dateline, title, source, published, "
            f"date_provenance, partial_date, words, boilerplate_words{signature}, source_provenance FROM stories "
            "ORDER BY doc_row, story_index"):
        saved = docs[doc_row]
        story = Story(story_id, saved.document.doc_id, index, start, end, title, source, _date(published),
                      DateProvenance(provenance), tuple(spans.get((story_row, LAYER_SHOWN), ())), dateline,
                      words, boiler_words, SourceProvenance(outlet_from) if outlet_from
                      else SourceProvenance.TEXT if source != saved.document.source
                      else saved.document.source_provenance)
        saved.stories.append(SavedStory(story, tuple(spans.get((story_row, LAYER_DOCUMENT), ())),
                                        tuple(spans.get((story_row, LAYER_OUTLET), ())), _partial(partial), sig,
                                        paras, shingles))
    return list(files.values())


def _saved_source_provenance(fmt: str, source: str, root: str, path: str) -> SourceProvenance:
    """Where a saved document's outlet came from, which the schema does not keep: a record, page or
    message names its own unless its outlet is the folder's name (what reading falls back to)."""
    own = fmt in ("json", "jsonl", "html", "htm", "eml") and source != PurePath(root, path).parent.name
    return source_provenance_of(source, own)


def load_outcome(conn: sqlite3.Connection) -> dict:
    """Relations, groups, events, edits and settings as ScanResult fields."""
    relations = tuple(Relation(*row) for row in conn.execute(
        "SELECT story_a, story_b, kind, jaccard, containment_a_in_b, containment_b_in_a, shared_words "
        "FROM relations ORDER BY rowid"))
    members: dict[int, list] = defaultdict(list)
    for group_id, story_id, relation, jaccard, containment in conn.execute(
            "SELECT group_id, story_id, relation, jaccard, containment FROM duplicate_groups "
            "ORDER BY group_id, position"):
        members[group_id].append((story_id, (relation, jaccard, containment)))
    groups = tuple(DuplicateGroup(gid, m[0][0], tuple(s for s, _ in m), tuple(sc for _, sc in m))
                   for gid, m in members.items())
    in_event: dict[int, list[str]] = defaultdict(list)
    for event_id, story_id in conn.execute("SELECT event_id, story_id FROM event_stories "
                                           "ORDER BY event_id, position"):
        in_event[event_id].append(story_id)
    events = tuple(Event(event_id, label, _date(start), _date(end), tuple(in_event[event_id]),
                         tuple(json.loads(terms)))
                   for event_id, label, start, end, terms in conn.execute(
                       "SELECT event_id, label, start, end, terms FROM events ORDER BY event_id"))
    edits = {sid: tuple(words.split(";")) for sid, words in conn.execute("SELECT story_id, words FROM edits")}
    row = conn.execute("SELECT value FROM settings WHERE key = 'result_settings'").fetchone()
    common = conn.execute("SELECT value FROM settings WHERE key = 'common_phrases'").fetchone()
    return {"relations": relations, "groups": groups, "events": events, "edits": edits,
            "settings": json.loads(row[0]) if row else {},
            "common_phrases": base64.b64decode(common[0]) if common else b""}


def result_of(files: list[SavedFile], outcome: dict) -> ScanResult:
    documents = tuple(d.document for f in files for d in f.documents)
    stories = tuple(s.story for f in files for d in f.documents for s in d.stories)
    return ScanResult(documents=documents, stories=stories, problems=tuple(p for f in files for p in f.problems),
                      files=tuple(f.entry for f in files), **outcome)


def load_result(conn: sqlite3.Connection) -> ScanResult | None:
    if conn.execute("SELECT value FROM settings WHERE key = 'scanned'").fetchone() is None:
        return None
    return result_of(load_files(conn, with_cache=False), load_outcome(conn))


# -- saving ------------------------------------------------------------------------------------------------
def _insert_stories(conn: sqlite3.Connection, doc_row: int, stories: list[SavedStory]) -> None:
    for saved in stories:
        s = saved.story
        p = saved.partial
        cur = conn.execute(
            "INSERT INTO stories (doc_row, story_index, story_id, start, end, dateline, title, source, published, "
            "date_provenance, partial_date, words, boilerplate_words, signature, paragraphs, shingles, "
            "source_provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_row, s.story_index, s.story_id, s.start, s.end, s.dateline, s.title, s.source, _iso(s.published),
             s.date_provenance.value, _partial_text(p), s.words,
             s.boilerplate_words, saved.signature, saved.paragraphs, saved.shingles, s.source_provenance.value))
        rows = [(cur.lastrowid, layer, b.start, b.end, b.kind, b.support, int(b.kept))
                for layer, spans in ((LAYER_DOCUMENT, saved.document_spans), (LAYER_OUTLET, saved.outlet_spans),
                                     (LAYER_SHOWN, s.boilerplate)) for b in spans]
        conn.executemany("INSERT INTO boilerplate_spans (story_row, layer, start, end, kind, support, kept) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def _insert_file(conn: sqlite3.Connection, position: int, f: SavedFile) -> None:
    cur = conn.execute(
        "INSERT INTO files (position, root, path, size, mtime_ns, content_hash, status, reason, documents, problem) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (position, f.root, f.path, f.size, f.mtime_ns, f.content_hash, f.entry.status.value, f.entry.reason,
         f.entry.documents, _problems_text(f.problems)))
    f.file_id = cur.lastrowid or 0
    for n, saved in enumerate(f.documents):
        d = saved.document
        cur = conn.execute(
            "INSERT INTO documents (file_id, position, doc_id, path, root, record_id, title, source, published, "
            "date_provenance, fmt, encoding, content_hash, text, cached, source_provenance) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (f.file_id, n, d.doc_id, d.path, d.root, d.record_id, d.title, d.source, _iso(d.published),
             d.date_provenance.value, d.fmt, d.encoding, d.content_hash, zlib.compress(d.text.encode("utf-8")),
             d.source_provenance.value))
        saved.doc_row = cur.lastrowid or 0
        saved.cached = True
        _insert_stories(conn, saved.doc_row, saved.stories)


def save_files(conn: sqlite3.Connection, files: list[SavedFile], removed: list[int]) -> Iterator[Progress]:
    """Bring the saved files to ``files`` (new ones have file_id 0); ``removed`` are file ids to drop."""
    conn.executemany("DELETE FROM files WHERE file_id = ?", [(i,) for i in removed])
    work = [f for f in files if not f.file_id or f.touched or f.dirty]
    for n, f in enumerate(work):
        if not f.file_id:
            _insert_file(conn, 0, f)
            continue
        if f.touched:
            conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE file_id = ?", (f.size, f.mtime_ns, f.file_id))
        if f.dirty:
            for saved in f.documents:
                conn.execute("DELETE FROM stories WHERE doc_row = ?", (saved.doc_row,))
                conn.execute("UPDATE documents SET cached = 1 WHERE doc_row = ?", (saved.doc_row,))
                _insert_stories(conn, saved.doc_row, saved.stories)
        if n % _BATCH == 0:
            yield Progress("save", n, len(work))
    conn.executemany("UPDATE files SET position = ? WHERE file_id = ?", [(i, f.file_id) for i, f in enumerate(files)])
    yield Progress("save", len(work), len(work))


def save_outcome(conn: sqlite3.Connection, result: ScanResult) -> None:
    """Rewrite relations, duplicate groups, events, edits and the result's settings."""
    for table in ("relations", "duplicate_groups", "events", "event_stories", "edits"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(r.story_a, r.story_b, r.kind, r.jaccard, r.containment_a_in_b, r.containment_b_in_a,
                       r.shared_words) for r in result.relations])
    conn.executemany("INSERT INTO duplicate_groups VALUES (?, ?, ?, ?, ?, ?)",
                     [(g.group_id, i, sid, *g.scores[i]) for g in result.groups for i, sid in enumerate(g.members)])
    conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                     [(e.event_id, e.label, _iso(e.start), _iso(e.end), json.dumps(list(e.terms)))
                      for e in result.events])
    conn.executemany("INSERT INTO event_stories VALUES (?, ?, ?)",
                     [(e.event_id, i, sid) for e in result.events for i, sid in enumerate(e.story_ids)])
    conn.executemany("INSERT INTO edits VALUES (?, ?)", [(sid, ";".join(w)) for sid, w in result.edits.items()])
    conn.execute("INSERT OR REPLACE INTO settings VALUES ('result_settings', ?)",
                 (json.dumps(result.settings, sort_keys=True, default=str),))
    # a key of the settings table, not a column: files of the same schema version read it or do without
    conn.execute("INSERT OR REPLACE INTO settings VALUES ('common_phrases', ?)",
                 (base64.b64encode(result.common_phrases).decode("ascii"),))
    conn.execute("INSERT OR REPLACE INTO settings VALUES ('scanned', ?)",
                 (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),))


def load_event_words(conn: sqlite3.Connection) -> dict[bytes, tuple[bytes, bytes]]:
    """The saved bags of words of the events (digest -> packed bag, see ``events.words``)."""
    return {digest: (terms, counts) for digest, terms, counts in conn.execute("SELECT * FROM event_words")}


def save_event_words(conn: sqlite3.Connection, unused: Iterable[bytes],
                     new: Mapping[bytes, tuple[bytes, bytes]]) -> None:
    """Drop the saved bags of words a scan did not use and add the ones it made (digest -> packed bag)."""
    conn.executemany("DELETE FROM event_words WHERE digest = ?", [(d,) for d in unused])
    conn.executemany("INSERT OR REPLACE INTO event_words VALUES (?, ?, ?)", [(d, *bag) for d, bag in new.items()])


def load_word_frequencies(conn: sqlite3.Connection, language: str) -> dict[str, float]:
    """The frequencies in general text of the terms the events were made of, in ``language`` (as
    ``events.idf`` looked them up: a rescan reads wordfreq's list only for terms not seen before)."""
    return dict(conn.execute("SELECT term, frequency FROM word_frequencies WHERE language = ?", (language,)))


def save_word_frequencies(conn: sqlite3.Connection, language: str, new: Iterable[tuple[str, float]]) -> None:
    """Add terms' frequencies looked up in a scan (see ``load_word_frequencies``)."""
    conn.executemany("INSERT OR REPLACE INTO word_frequencies VALUES (?, ?, ?)",
                     ((language, term, frequency) for term, frequency in new))


def save_shown_stories(conn: sqlite3.Connection, stories: list[Story]) -> None:
    """Replace the shown form (layer 2 spans, title, boilerplate words) of these stories."""
    for s in stories:
        rows = [r for (r,) in conn.execute("SELECT story_row FROM stories WHERE story_id = ?", (s.story_id,))]
        for row in rows:
            conn.execute("UPDATE stories SET title = ?, boilerplate_words = ? WHERE story_row = ?",
                         (s.title, s.boilerplate_words, row))
            conn.execute("DELETE FROM boilerplate_spans WHERE story_row = ? AND layer = ?", (row, LAYER_SHOWN))
            conn.executemany("INSERT INTO boilerplate_spans (story_row, layer, start, end, kind, support, kept) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [(row, LAYER_SHOWN, b.start, b.end, b.kind, b.support, int(b.kept))
                              for b in s.boilerplate])
