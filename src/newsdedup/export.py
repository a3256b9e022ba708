"""Cluster CSV, pairs CSV and the full JSON of a result, written so that a failed write leaves nothing.

Every file is written to a temporary file in the target folder and moved into place only when complete,
with the permissions the user's umask gives a new file. A target that is a link, a device or anything but a
regular file is refused, never replaced. CSV: UTF-8, RFC 4180 quoting, a header row, ISO 8601 dates, and
cells a spreadsheet would run as a formula (starting with = + - @, tab or carriage return, also after
spaces) neutralised with a leading apostrophe. Text that is not valid UTF-8 (a lone surrogate) is written
with backslash escapes, never refused.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import datetime as dt
import enum
import io
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from newsdedup.model import ScanResult

CLUSTER_COLUMNS = (
    "event_id", "event_label", "event_start", "event_end", "duplicate_group", "is_canonical",
    "relation_to_canonical", "jaccard_to_canonical", "containment_in_canonical", "story_id", "path",
    "record_id", "story_index", "title", "source", "published", "date_provenance", "words",
    "boilerplate_words", "edited", "group_size", "source_provenance",
)
PAIR_COLUMNS = ("story_a", "title_a", "story_b", "title_b", "relation", "jaccard", "containment_a_in_b",
                "containment_b_in_a", "shared_words")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """A file could not be written; the message names it and says why."""


def safe_cell(value) -> str:
    """A cell as text, with anything a spreadsheet would run as a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        value = value.value
    text = str(value)
    if text.lstrip(" \u00a0\n").startswith(_FORMULA_START):
        return "'" + text
    return text


def cluster_rows(result: ScanResult) -> list[dict]:
    """One row per story, ordered by event, then duplicate group (canonical first)."""
    event_of = {sid: e for e in result.events for sid in e.story_ids}
    group_of = {sid: g for g in result.groups for sid in g.members}
    rows = []
    for event in result.events:
        for sid in event.story_ids:
            story = result.story(sid)
            doc = result.document(story.doc_id)
            group = group_of[sid]
            relation, jaccard, containment = group.score_of(sid)
            canonical = sid == group.canonical
            rows.append({
                "event_id": event.event_id, "event_label": event.label, "event_start": event.start,
                "event_end": event.end, "duplicate_group": group.group_id, "is_canonical": canonical,
                "relation_to_canonical": "" if canonical else relation,
                "jaccard_to_canonical": None if canonical else jaccard,
                "containment_in_canonical": None if canonical else containment,
                "story_id": sid, "path": doc.path, "record_id": doc.record_id,
                "story_index": story.story_index, "title": story.title, "source": story.source,
                "published": story.published, "date_provenance": story.date_provenance,
                "words": story.words, "boilerplate_words": story.boilerplate_words,
                "edited": ";".join(result.edits.get(sid, ())), "group_size": len(group.members),
                "source_provenance": story.source_provenance,
            })
    missing = [s.story_id for s in result.stories if s.story_id not in event_of]
    if missing:  # a bug, not a user error: every story belongs to an event
        raise ExportError(f"{len(missing)} stories have no event (first: {missing[0]})")
    return rows


def pair_rows(result: ScanResult) -> list[dict]:
    """One row per relation: each copy against its duplicate group's original, and the partial reuse."""
    return [{"story_a": r.story_a, "title_a": result.story(r.story_a).title, "story_b": r.story_b,
             "title_b": result.story(r.story_b).title, "relation": r.kind, "jaccard": r.jaccard,
             "containment_a_in_b": r.containment_a_in_b, "containment_b_in_a": r.containment_b_in_a,
             "shared_words": r.shared_words} for r in result.relations]


def csv_text(columns: Iterable[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    columns = list(columns)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` as UTF-8, all or nothing."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    refusal = not_a_plain_file(path)
    if refusal:
        raise ExportError(f"cannot write {path}: it is {refusal}, not a regular file; it was left as it is. "
                          "Give the name of a new or regular file")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # as any new file of the user's: mkstemp makes 0600
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:  # nothing half-written is left, whatever stopped the write (Ctrl-C too)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, (OSError, UnicodeError)):
            raise
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ExportError(f"cannot write {path}: {reason}") from exc


def not_a_plain_file(path: Path) -> str:
    """What ``path`` is if it exists and is not a regular file ("a link", "a device", ...), else ""."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a named pipe" if stat.S_ISFIFO(mode) else "a special file"


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: put back at once
    os.umask(mask)
    return mask


def write_cluster_csv(result: ScanResult, path: Path) -> int:
    rows = cluster_rows(result)
    write_atomic(path, csv_text(CLUSTER_COLUMNS, rows))
    return len(rows)


def write_pairs_csv(result: ScanResult, path: Path) -> int:
    rows = pair_rows(result)
    write_atomic(path, csv_text(PAIR_COLUMNS, rows))
    return len(rows)


def _jsonable(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, bytes):  # common phrases' frequencies: base64 of little-endian uint64
        return base64.b64encode(obj).decode("ascii")
    return obj


def write_json(result: ScanResult, path: Path) -> None:
    """Everything: documents (with text), stories with their boilerplate spans, relations, groups, events."""
    write_atomic(path, json.dumps(_jsonable(result), ensure_ascii=False, indent=1))
