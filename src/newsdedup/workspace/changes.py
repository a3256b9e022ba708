"""Which files of a workspace's folders changed since its last scan, reading as few as possible.

A file whose size and modification time (nanoseconds) match the saved ones is not opened. One whose size
or time differ is read and hashed (SHA-256 of its bytes): the same hash means the same content (a copy
that kept the bytes, a ``touch``), and its saved work is reused. Only new files and files whose content
changed are read into documents again. Files no longer found are removed. A folder of the workspace that
is missing, unreadable or empty (an unplugged drive, a permission changed) keeps its files as saved, and
so does an unreadable subfolder or file: each is listed as a problem, until the user removes the folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from newsdedup.ingest.files import READABLE, RECORDS_FILE_FACTOR, named_files, read_one
from newsdedup.ingest.walk import display
from newsdedup.model import FileStatus, Problem, Progress, Steps
from newsdedup.workspace.saved_scan import SavedDocument, SavedFile


@dataclass
class RescanCounts:
    """What a rescan did with each file and document: the CLI prints it, tests check it."""

    unchanged: int = 0  # size and mtime as saved: not opened
    same_content: int = 0  # size or mtime changed, content hash as saved: opened to hash, work reused
    changed: int = 0  # content changed: read again
    added: int = 0  # new: read
    removed: int = 0  # gone: dropped
    documents_reused: int = 0  # documents whose stories, boilerplate and signatures came from the workspace
    documents_read: int = 0  # documents made again from the file (or, after an upgrade, from stored text)
    stories_fingerprinted: int = 0  # stories whose MinHash signature was computed (not reused)
    outlets_redone: int = 0  # outlets whose cross-document boilerplate pass ran again
    stories_paragraphed: int = 0  # stories whose paragraphs' signatures that pass compares were made (not reused)
    stories_shingled: int = 0  # stories whose shingle set was made (not reused)
    words_counted: int = 0  # events' stories whose words were counted (not reused)
    words_looked_up: int = 0  # terms whose frequency in general text was looked up (not saved before)
    unavailable: int = 0  # in a folder, subfolder or file that cannot be read now: kept as saved

    @property
    def files_opened(self) -> int:
        return self.same_content + self.changed + self.added

    def line(self) -> str:
        return (f"files: {self.unchanged} unchanged, {self.same_content} same content, {self.changed} changed, "
                f"{self.added} new, {self.removed} removed; documents: {self.documents_read} read, "
                f"{self.documents_reused} reused"
                + (f"; {self.unavailable} file(s) unavailable, kept as saved" if self.unavailable else ""))


@dataclass
class Changes:
    files: list[SavedFile]  # every file found, in scan order: saved ones reused, fresh ones read
    removed: list[SavedFile]  # saved files gone or changed (their rows are dropped)
    fresh: list[SavedFile] = field(default_factory=list)  # read in this rescan
    problems: list[Problem] = field(default_factory=list)  # folders unavailable, files kept as saved


def _digest(path: Path, limit: int) -> str:
    """SHA-256 of a regular file's bytes, "" for anything else: the file is opened without blocking and
    checked on the open descriptor, so a pipe or device is never read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return ""
        h = hashlib.sha256()
        with os.fdopen(fd, "rb", closefd=False) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    finally:
        os.close(fd)


def unavailable_reason(folder: Path, has_saved: bool) -> str:
    """Why a workspace folder cannot be scanned now ("" if it can): missing, unreadable, or empty where
    files were saved (what an unmounted drive's folder looks like)."""
    try:
        if not folder.is_dir():
            return "" if folder.is_file() else "it is missing"
        with os.scandir(folder) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    return "it is empty (a drive not connected?)" if empty and has_saved else ""


def _of_folder(f: SavedFile, folder: Path) -> bool:
    if f.root == display(str(folder)):
        return True
    return f.root == display(str(folder.parent)) and f.path == display(folder.name)


def _unavailable(folders: list[Path], saved: list[SavedFile]) -> tuple[list[Path], list[SavedFile], list[Problem]]:
    """The folders to scan, the saved files of those that cannot be (kept as saved), and a problem for each
    of those: its stories stay until the user removes the folder from the workspace."""
    scan, kept, problems = [], [], []
    for folder in folders:
        mine = [f for f in saved if _of_folder(f, folder)]
        reason = unavailable_reason(folder, bool(mine))
        if not reason:
            scan.append(folder)
            continue
        kept.extend(mine)
        problems.append(Problem(display(str(folder)), f"folder unavailable: {reason}; its {len(mine)} file(s) "
                                "and their stories are kept as last scanned. Reconnect it, or remove the "
                                "folder from the workspace"))
    return scan, kept, problems


def find_changes(folders: list[Path], saved: list[SavedFile], max_bytes: int, reread_all: bool,
                 counts: RescanCounts, follow_links: bool = False) -> Steps[Changes]:
    """A stage ("read"): the Changes. ``reread_all`` reads every file again (a setting that
    changes what reading gives, such as the size limit, has changed). Nothing is dropped for a folder, a
    subfolder or a file that cannot be read now: it keeps what was saved, and a problem says so."""
    folders, kept, problems = _unavailable([Path(p) for p in folders], saved)
    kept_keys = {(f.root, f.path) for f in kept}
    by_key = {(f.root, f.path): f for f in saved if (f.root, f.path) not in kept_keys}
    found = list(named_files(folders, follow_links))
    files: list[SavedFile] = list(kept)
    counts.unavailable = len(kept)
    removed: list[SavedFile] = []
    fresh: list[SavedFile] = []
    unlisted: list[tuple[str, str]] = []  # subfolders that could not be listed: (root, name)
    for i, (root, path, rel, problem) in enumerate(found):
        if i % 64 == 0:
            yield Progress("read", i, len(found))
        root_name = display(str(root))
        old = by_key.pop((root_name, rel), None)
        if problem.startswith("a folder that cannot be read"):
            unlisted.append((root_name, rel))
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size, mtime = -1, -1
        if old is not None and not reread_all and (old.size, old.mtime_ns) == (size, mtime):
            counts.unchanged += 1
            files.append(old)
            continue
        readable = path.suffix.lower() in READABLE and not problem
        try:
            digest = _digest(path, max_bytes * RECORDS_FILE_FACTOR) if readable and size >= 0 else ""
        except OSError:
            digest = ""
        if old is not None and not reread_all and digest and digest == old.content_hash:
            counts.same_content += 1
            old.size, old.mtime_ns, old.touched = size, mtime, True
            files.append(old)
            continue
        docs, entry, in_part = read_one(root, path, max_bytes, rel, problem)
        if old is not None and old.documents and entry.status == FileStatus.PROBLEM \
                and entry.reason.startswith(("cannot be read", "cannot be looked at")):
            counts.unavailable += 1  # unreadable now (a permission changed): what was saved stays
            problems.append(Problem(rel, f"{entry.reason}; kept as last scanned"))
            files.append(old)
            continue
        fresh_file = SavedFile(root_name, rel, size, mtime, digest, entry, tuple(in_part),
                               [SavedDocument(d) for d in docs])
        if old is not None:
            removed.append(old)
            counts.changed += 1
        else:
            counts.added += 1
        files.append(fresh_file)
        fresh.append(fresh_file)
    yield Progress("read", len(found), len(found))
    for key in list(by_key):  # files of a subfolder that could not be listed are not gone: kept
        if any(key[0] == r and key[1].startswith(name + "/") for r, name in unlisted):
            files.append(by_key.pop(key))
            counts.unavailable += 1
    counts.removed = len(by_key)
    removed.extend(by_key.values())
    return Changes(files, removed, fresh, problems)
