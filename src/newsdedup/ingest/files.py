"""Reading article folders: walk, decode, extract main text and metadata, list what could not be read.

A file that cannot be read becomes a Problem with its path and a reason a person can act on; it never
stops the scan. Every file seen is listed with its status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsdedup.ingest.decoding import Unreadable, decode
from newsdedup.ingest.walk import display, iter_files, named_files, relative
from newsdedup.model import (
    DateProvenance,
    Document,
    FileEntry,
    FileStatus,
    Problem,
    Progress,
    SourceProvenance,
    Steps,
)

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
MAIL_SUFFIXES = {".eml"}
OPTIONAL_SUFFIXES = {".pdf": "pdf", ".docx": "docx"}
READABLE = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | MAIL_SUFFIXES | set(OPTIONAL_SUFFIXES)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_LISTED_RECORDS = 10_000  # records left out of one file that are each listed as a problem
RECORDS_FILE_FACTOR = 10  # a .json/.jsonl file holds many articles: up to 10 times the limit of one (200 MB)

__all__ = ["READABLE", "ReadOutcome", "iter_files", "named_files", "read_file", "read_one", "read_paths"]
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadOutcome:
    documents: tuple[Document, ...]
    files: tuple[FileEntry, ...]
    problems: tuple[Problem, ...]


def read_paths(paths: list[Path], max_bytes: int = DEFAULT_MAX_BYTES, follow_links: bool = False
               ) -> Steps[ReadOutcome]:
    """Read every file under ``paths``: a stage that returns one ReadOutcome with everything read."""
    found = list(named_files(paths, follow_links))
    total = len(found)
    docs: list[Document] = []
    files: list[FileEntry] = []
    problems: list[Problem] = []
    for i, (root, path, name, problem) in enumerate(found):
        got, entry, in_part = read_one(root, path, max_bytes, name, problem)
        docs.extend(got)
        files.append(entry)
        problems.extend(in_part)
        yield Progress("read", i + 1, total)  # every file: one HTML page can take a second, and Cancel waits
    return ReadOutcome(tuple(docs), tuple(files), tuple(problems))


def read_one(root: Path, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None,
             problem: str = "") -> tuple[list[Document], FileEntry, list[Problem]]:
    """One file's documents, its entry in the file list, and its problems (never raises): the file's own
    when nothing could be read, else those of a file read in part (bad JSON lines, records left out).
    ``name`` is the file's name in the results (see ``named_files``; by default its path under root);
    ``problem`` is why the walk found it must not be opened (``walk.path_problem``), if it did."""
    rel = name or relative(root, path)
    if problem:
        return [], FileEntry(rel, FileStatus.PROBLEM, problem), [Problem(rel, problem)]
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        return [], FileEntry(rel, FileStatus.SKIPPED, f"not an article format ({suffix or 'no extension'})"), []
    try:
        got, note, in_part = read_file(root, path, max_bytes, rel)
    except Exception as exc:  # a reader's own fault on odd input too: this file is a problem, the scan goes on
        return _failed(rel, failure_reason(exc, rel))
    # read in part: what was left out is listed as problems too, so it is not missed
    return got, FileEntry(rel, FileStatus.READ, note, documents=len(got)), in_part


def failure_reason(exc: Exception, rel: str) -> str:
    """Why a file could not be read, said for a person, from what reading it raised."""
    if isinstance(exc, Unreadable):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot be read: {exc.strerror or exc}"
    if isinstance(exc, RecursionError):
        return "nested too deeply to be read"
    if isinstance(exc, MemoryError):
        return "too large to be read in the memory there is"
    _log.info("reading %s failed: %s: %s", rel, type(exc).__name__, exc)  # listed as a problem too
    _log.debug("the reader's traceback", exc_info=exc)  # -vv on the command line
    return f"could not be read ({type(exc).__name__}: {display(str(exc))[:200]})"


def _failed(rel: str, reason: str) -> tuple[list[Document], FileEntry, list[Problem]]:
    return [], FileEntry(rel, FileStatus.PROBLEM, reason), [Problem(rel, reason)]


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them: Unreadable if it is not a
    regular file (checked on the opened file, which is opened without blocking: a pipe that took the
    file's place since the walk cannot hang the scan), empty, or larger than ``limit``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file; not read")
        if st.st_size > limit:
            raise Unreadable(f"too large ({_mb(st.st_size)}; the limit is {_mb(limit)})")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(st.st_size + 1)  # a buffer the size of the file, not of the limit
            if len(data) > st.st_size:  # it grew since it was looked at: the rest, up to the limit
                data += fh.read(limit + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew since it was looked at
        raise Unreadable(f"too large (over {_mb(limit)}; the limit is {_mb(limit)})")
    if not data:
        raise Unreadable("empty file")
    return data


def read_file(root: Path, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
              ) -> tuple[list[Document], str, list[Problem]]:
    """Read one file into its documents (several for a .jsonl file), a note on what was left out, and
    the problems of a file read in part: its bad JSON lines, and each record left out as "path#id".

    Raises Unreadable with the reason when nothing could be read. The size limit is per article: a
    .json/.jsonl file holds many, so there it applies to each record's text.
    """
    suffix = path.suffix.lower()
    data = read_bytes(path, max_bytes * RECORDS_FILE_FACTOR if suffix in RECORD_SUFFIXES else max_bytes)
    rel = name or relative(root, path)
    folder_source = display(path.parent.name) if path.parent != root.parent else ""
    if suffix in OPTIONAL_SUFFIXES:
        from newsdedup.ingest.formats import read_optional

        text, title = read_optional(path, OPTIONAL_SUFFIXES[suffix], max_bytes)
        return [_document(root, rel, "", text, title=title, source=folder_source, fmt=suffix[1:], data=data)], "", []
    if suffix in RECORD_SUFFIXES:
        return _read_records(root, rel, data, suffix, folder_source, max_bytes)
    text, encoding = decode(data)
    if suffix in HTML_SUFFIXES or suffix in MAIL_SUFFIXES:
        from newsdedup.ingest.formats import read_html, read_mail

        page = read_html(text) if suffix in HTML_SUFFIXES else read_mail(data)  # its own title, source, date
        return [_document(root, rel, "", page.text, title=page.title,
                          source=page.source or page.site or folder_source, own_source=bool(page.source),
                          furniture_source=bool(page.site) and not page.source, published=page.published,
                          provenance=DateProvenance.METADATA if page.published else DateProvenance.NONE,
                          fmt="html" if suffix in HTML_SUFFIXES else "eml", encoding=encoding, data=data)], "", []
    return [_document(root, rel, "", text, source=folder_source, fmt=suffix[1:] or "txt", encoding=encoding,
                      data=data)], "", []


def json_lines(text: str) -> tuple[list, list[tuple[int, str]]]:
    """Records of a JSON Lines text, and the lines that are not JSON: (line number, what is wrong)."""
    records, bad = [], []
    # Only "\n" ends a record: str.splitlines() would also cut at U+2028 or U+0085 inside a string.
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append(json_value(line))
        except Unreadable as exc:
            bad.append((n, str(exc)))
    return records, bad


def json_value(text: str):
    """``json.loads``, with what it raises on hostile input (nesting deeper than Python's stack, numbers
    of thousands of digits) said as Unreadable."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise Unreadable("JSON nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise Unreadable(f"not readable JSON ({str(exc).split(';')[0]})") from exc


def _read_records(root: Path, rel: str, data: bytes, suffix: str, folder_source: str,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Document], str, list[Problem]]:
    text, encoding = decode(data)
    bad: list[tuple[int, str]] = []
    if suffix == ".json" and text.lstrip().startswith(("[", "{")):
        loaded = json_value(text)
        records = loaded if isinstance(loaded, list) else [loaded]
    else:
        records, bad = json_lines(text)
    got = articles(root, rel, records, suffix, folder_source, encoding, max_bytes)
    return records_outcome(rel, got.documents, got.left_out, got.title_only, bad)


@dataclass(frozen=True)
class Articles:
    """The articles of some records of a file, and the records left out."""

    documents: list[Document]
    left_out: list[Problem]
    title_only: int  # records read as headline-only stories
    numbered: bool  # some record's id is its number in the file (it has no id of its own)


def articles(root: Path, rel: str, records: list, suffix: str, folder_source: str, encoding: str,
             max_bytes: int = DEFAULT_MAX_BYTES, first: int = 0) -> Articles:
    """The documents of ``records`` (``first``: how many records of the file come before them)."""
    docs: list[Document] = []
    left_out: list[Problem] = []  # records that could not be read: each one named, never only counted
    title_only = 0
    numbered = False
    for n, rec in enumerate(records, first):
        record_id = _record_id(rec, n)
        numbered = numbered or record_id == str(n)
        where = f"{rel}#{record_id}"
        if not isinstance(rec, dict):
            left_out.append(Problem(where, "not an article record: not a JSON object"))
            continue
        body = rec.get("text") or rec.get("body") or rec.get("content") or ""
        title = _field(rec, "title").strip()
        if not isinstance(body, str) or not body.strip():
            if not title:
                left_out.append(Problem(where, "record has no text and no title"))
                continue
            # A headline-only record (a wire flash, a feed item) is still a story a user counts:
            # its headline is its text.
            body, title_only = title, title_only + 1
        if len(body) > max_bytes:  # characters, at least as many bytes
            left_out.append(Problem(where, f"too large ({_mb(len(body))}; the limit is {_mb(max_bytes)})"))
            continue
        published = _parse_date(rec.get("date") or rec.get("published"))
        docs.append(_document(
            root, rel, record_id, body, title=title,
            source=_field(rec, "source") or folder_source, own_source=bool(_field(rec, "source")),
            published=published,
            provenance=DateProvenance.METADATA if published else DateProvenance.NONE,
            fmt=suffix[1:], encoding=encoding, data=None))
    return Articles(docs, left_out, title_only, numbered)


def records_outcome(rel: str, docs: list[Document], left_out: list[Problem], title_only: int,
                    bad: list[tuple[int, str]]) -> tuple[list[Document], str, list[Problem]]:
    """A record file's documents, its note and its problems, from all its records; Unreadable when
    none could be read."""
    notes = [f"{title_only} record(s) with a headline and no text, read as headline-only stories"] \
        if title_only else []
    if left_out:
        notes.append(f"{len(left_out)} record(s) left out, each listed as a problem")
    broken = f"not valid JSON Lines ({len(bad)} line(s) left out; line {bad[0][0]}: {bad[0][1]})" if bad else ""
    if not docs:  # nothing read: the file is the problem, with why
        if broken or not left_out:
            raise Unreadable(broken or "no records")
        reasons = Counter(p.reason.split(" (")[0] for p in left_out)
        raise Unreadable("no record could be read: " + ", ".join(f"{n} x {r}" for r, n in reasons.most_common()))
    if len(left_out) > MAX_LISTED_RECORDS:  # a flood (millions of non-records) is named up to a point, then counted
        more = len(left_out) - MAX_LISTED_RECORDS
        left_out = left_out[:MAX_LISTED_RECORDS] + [Problem(rel, f"{more} more record(s) left out, not listed one by one")]
    problems = ([Problem(rel, broken)] if broken else []) + left_out
    return docs, "; ".join(notes + ([broken] if broken else [])), problems


def _record_id(rec, n: int) -> str:
    value = rec.get("id", n) if isinstance(rec, dict) else n
    # an id is a name: a nested or huge value is not one
    return display(str(value))[:200] if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
        else str(n)


def _field(rec: dict, key: str) -> str:
    value = rec.get(key)
    return display(value) if isinstance(value, str) else str(value)[:200] if isinstance(value, (int, float)) \
        else ""


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _parse_date(value) -> dt.date | None:
    if not value or not isinstance(value, str) or len(value) > 100:  # a date is short; parse no essays
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        from dateutil import parser

        try:
            return parser.parse(value).date()
        except (ValueError, OverflowError):
            return None


def _document(root: Path, rel: str, record_id: str, text: str, *, title: str = "", source: str = "",
              own_source: bool = False, furniture_source: bool = False,
              published: dt.date | None = None, provenance: DateProvenance = DateProvenance.NONE,
              fmt: str = "txt", encoding: str = "utf-8", data: bytes | None) -> Document:
    text = display(text.replace("\r\n", "\n").replace("\r", "\n"))  # lone surrogates from JSON escapes
    title, source = display(title), display(source)
    if not text.strip():
        raise Unreadable("no text (empty or whitespace only)")
    digest = hashlib.sha256(data if data is not None else text.encode("utf-8")).hexdigest()
    doc_id = f"{rel}#{record_id}" if record_id else rel
    return Document(doc_id=doc_id, path=rel, root=display(str(root)), record_id=record_id, text=text, title=title,
                    source=source, published=published, date_provenance=provenance, fmt=fmt,
                    encoding=encoding, content_hash=digest,
                    source_provenance=source_provenance_of(source, own_source, furniture_source))


def source_provenance_of(source: str, own_source: bool, furniture_source: bool = False) -> SourceProvenance:
    """``own_source``: the record, page or message named its outlet; ``furniture_source``: the page's
    furniture did (a copyright line, the title's site name); else ``source`` is the folder's name."""
    if own_source and source:
        return SourceProvenance.METADATA
    if furniture_source and source:
        return SourceProvenance.TEXT
    return SourceProvenance.FOLDER if source else SourceProvenance.NONE
