"""Reading article folders: walk, decode, extract main text and metadata, list what could not be read.

A file that cannot be read becomes a Problem with its path and a reason a person can act on; it never
stops the scan. Every file seen is listed with its status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsdedup.ingest.decoding import Unreadable, decode
from newsdedup.model import DateProvenance, Document, FileEntry, FileStatus, Problem, Progress, Steps

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
MAIL_SUFFIXES = {".eml"}
OPTIONAL_SUFFIXES = {".pdf": "pdf", ".docx": "docx"}
READABLE = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | MAIL_SUFFIXES | set(OPTIONAL_SUFFIXES)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReadOutcome:
    documents: tuple[Document, ...]
    files: tuple[FileEntry, ...]
    problems: tuple[Problem, ...]


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield (root, file) for every file under ``paths``, each real file once, skipping hidden folders.

    Symlinked folders are followed but a folder reached twice (a loop, or two links to one place) is
    walked once; a file reached twice is yielded once.
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        given = Path(given)
        if given.is_file():
            key = _inode(given)
            if key not in seen_files:
                seen_files.add(key)
                yield given.parent, given
            continue
        root = given
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            here = Path(dirpath)
            key = _inode(here)
            if key in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(key)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                f = here / name
                try:
                    fkey = _inode(f)
                except OSError:
                    yield root, f  # a broken link: reading it will report the problem
                    continue
                if fkey not in seen_files:
                    seen_files.add(fkey)
                    yield root, f


def named_files(paths: list[Path]) -> Iterator[tuple[Path, Path, str]]:
    """``iter_files`` with each file's name in the results: its path under the folder it was found in
    ("2024/story.txt"), unless a file found earlier already has that name (two folders dropped together
    that each hold a "story.txt"); then the folder's own name goes in front ("tuesday/story.txt"), and
    if that is taken too, the folder's whole path. The first of two such files keeps the short name, so
    the names stay the same from one scan of the same folders to the next."""
    taken: set[str] = set()
    for root, path in iter_files(paths):
        name = _relative(root, path)
        for candidate in (name, f"{root.name}/{name}", f"{root.as_posix()}/{name}"):
            if candidate not in taken:
                name = candidate
                break
        taken.add(name)
        yield root, path, name


def _inode(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_dev, st.st_ino


def read_paths(paths: list[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Steps[ReadOutcome]:
    """Read every file under ``paths``: a stage that returns one ReadOutcome with everything read."""
    found = list(named_files(paths))
    total = len(found)
    docs: list[Document] = []
    files: list[FileEntry] = []
    problems: list[Problem] = []
    for i, (root, path, name) in enumerate(found):
        got, entry, in_part = read_one(root, path, max_bytes, name)
        docs.extend(got)
        files.append(entry)
        problems.extend(in_part)
        if i % 64 == 0 or i + 1 == total:
            yield Progress("read", i + 1, total)
    return ReadOutcome(tuple(docs), tuple(files), tuple(problems))


def read_one(root: Path, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
             ) -> tuple[list[Document], FileEntry, list[Problem]]:
    """One file's documents, its entry in the file list, and its problems (never raises): the file's own
    when nothing could be read, else those of a file read in part (bad JSON lines, records left out).
    ``name`` is the file's name in the results (see ``named_files``; by default its path under root)."""
    rel = name or _relative(root, path)
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        return [], FileEntry(rel, FileStatus.SKIPPED, f"not an article format ({suffix or 'no extension'})"), []
    try:
        got, note, in_part = read_file(root, path, max_bytes, rel)
    except Unreadable as exc:
        return [], FileEntry(rel, FileStatus.PROBLEM, str(exc)), [Problem(rel, str(exc))]
    except OSError as exc:
        reason = f"cannot be read: {exc.strerror or exc}"
        return [], FileEntry(rel, FileStatus.PROBLEM, reason), [Problem(rel, reason)]
    # read in part: what was left out is listed as problems too, so it is not missed
    return got, FileEntry(rel, FileStatus.READ, note, documents=len(got)), in_part


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def read_file(root: Path, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
              ) -> tuple[list[Document], str, list[Problem]]:
    """Read one file into its documents (several for a .jsonl file), a note on what was left out, and
    the problems of a file read in part: its bad JSON lines, and each record left out as "path#id".

    Raises Unreadable with the reason when nothing could be read. The size limit is per article: a
    .json/.jsonl file holds many, so there it applies to each record's text.
    """
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size > max_bytes and suffix not in RECORD_SUFFIXES:
        raise Unreadable(f"too large ({_mb(size)}; the limit is {_mb(max_bytes)})")
    if size == 0:
        raise Unreadable("empty file")
    data = path.read_bytes()
    rel = name or _relative(root, path)
    folder_source = path.parent.name if path.parent != root.parent else ""
    if suffix in OPTIONAL_SUFFIXES:
        from newsdedup.ingest.formats import read_optional

        text, title = read_optional(path, OPTIONAL_SUFFIXES[suffix])
        return [_document(root, rel, "", text, title=title, source=folder_source, fmt=suffix[1:], data=data)], "", []
    if suffix in RECORD_SUFFIXES:
        return _read_records(root, rel, data, suffix, folder_source, max_bytes)
    text, encoding = decode(data)
    if suffix in HTML_SUFFIXES:
        from newsdedup.ingest.formats import read_html

        page = read_html(text)
        return [_document(root, rel, "", page.text, title=page.title, source=page.source or folder_source,
                          published=page.published, provenance=DateProvenance.METADATA if page.published
                          else DateProvenance.NONE, fmt="html", encoding=encoding, data=data)], "", []
    if suffix in MAIL_SUFFIXES:
        from newsdedup.ingest.formats import read_mail

        mail = read_mail(data)
        return [_document(root, rel, "", mail.text, title=mail.title, source=mail.source or folder_source,
                          published=mail.published, provenance=DateProvenance.METADATA if mail.published
                          else DateProvenance.NONE, fmt="eml", encoding=encoding, data=data)], "", []
    return [_document(root, rel, "", text, source=folder_source, fmt=suffix[1:] or "txt", encoding=encoding,
                      data=data)], "", []


def _json_lines(text: str) -> tuple[list, list[str]]:
    """Records of a JSON Lines text, and what was wrong with the lines that are not JSON."""
    records, bad = [], []
    # Only "\n" ends a record: str.splitlines() would also cut at U+2028 or U+0085 inside a string.
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            bad.append(f"line {n}: {exc.msg}")
    return records, bad


def _read_records(root: Path, rel: str, data: bytes, suffix: str, folder_source: str,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Document], str, list[Problem]]:
    text, encoding = decode(data)
    bad: list[str] = []
    if suffix == ".json" and text.lstrip().startswith(("[", "{")):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Unreadable(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
        records = loaded if isinstance(loaded, list) else [loaded]
    else:
        records, bad = _json_lines(text)
    docs: list[Document] = []
    left_out: list[Problem] = []  # records that could not be read: each one named, never only counted
    title_only = 0
    for n, rec in enumerate(records):
        record_id = str(rec.get("id", n)) if isinstance(rec, dict) else str(n)
        where = f"{rel}#{record_id}"
        if not isinstance(rec, dict):
            left_out.append(Problem(where, "not an article record: not a JSON object"))
            continue
        body = rec.get("text") or rec.get("body") or rec.get("content") or ""
        title = str(rec.get("title") or "").strip()
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
            source=str(rec.get("source") or folder_source), published=published,
            provenance=DateProvenance.METADATA if published else DateProvenance.NONE,
            fmt=suffix[1:], encoding=encoding, data=None))
    notes = [f"{title_only} record(s) with a headline and no text, read as headline-only stories"] \
        if title_only else []
    if left_out:
        notes.append(f"{len(left_out)} record(s) left out, each listed as a problem")
    broken = f"not valid JSON Lines ({len(bad)} line(s) left out; {bad[0]})" if bad else ""
    if not docs:  # nothing read: the file is the problem, with why
        if broken or not left_out:
            raise Unreadable(broken or "no records")
        reasons = Counter(p.reason.split(" (")[0] for p in left_out)
        raise Unreadable("no record could be read: " + ", ".join(f"{n} x {r}" for r, n in reasons.most_common()))
    problems = ([Problem(rel, broken)] if broken else []) + left_out
    return docs, "; ".join(notes + ([broken] if broken else [])), problems


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _parse_date(value) -> dt.date | None:
    if not value or not isinstance(value, str):
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
              published: dt.date | None = None, provenance: DateProvenance = DateProvenance.NONE,
              fmt: str = "txt", encoding: str = "utf-8", data: bytes | None) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Unreadable("no text (empty or whitespace only)")
    digest = hashlib.sha256(data if data is not None else text.encode("utf-8")).hexdigest()
    doc_id = f"{rel}#{record_id}" if record_id else rel
    return Document(doc_id=doc_id, path=rel, root=str(root), record_id=record_id, text=text, title=title,
                    source=source, published=published, date_provenance=provenance, fmt=fmt,
                    encoding=encoding, content_hash=digest)
