"""Which files of a workspace's folders changed since its last scan, reading as few as possible.

A file whose size and modification time (nanoseconds) match the saved ones is not opened. One whose size
or time differ is read and hashed (SHA-256 of its bytes): the same hash means the same content (a copy
that kept the bytes, a ``touch``), and its saved work is reused. Only new files and files whose content
changed are read into documents again. Files no longer found are removed. A folder of the workspace that
is missing (an unplugged drive) stops the rescan with a WorkspaceError before anything is dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from newsdedup.ingest.files import READABLE, named_files, read_one
from newsdedup.model import Progress, Steps
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

    @property
    def files_opened(self) -> int:
        return self.same_content + self.changed + self.added

    def line(self) -> str:
        return (f"files: {self.unchanged} unchanged, {self.same_content} same content, {self.changed} changed, "
                f"{self.added} new, {self.removed} removed; documents: {self.documents_read} read, "
                f"{self.documents_reused} reused")


@dataclass
class Changes:
    files: list[SavedFile]  # every file found, in scan order: saved ones reused, fresh ones read
    removed: list[SavedFile]  # saved files gone or changed (their rows are dropped)
    fresh: list[SavedFile] = field(default_factory=list)  # read in this rescan


class MissingFolder(Exception):
    """A folder of the workspace is not there."""


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def find_changes(folders: list[Path], saved: list[SavedFile], max_bytes: int, reread_all: bool,
                 counts: RescanCounts) -> Steps[Changes]:
    """A stage ("read"): the Changes. ``reread_all`` reads every file again (a setting that
    changes what reading gives, such as the size limit, has changed)."""
    missing = [str(p) for p in folders if not Path(p).exists()]
    if missing:
        raise MissingFolder(missing[0])
    by_key = {(f.root, f.path): f for f in saved}
    found = list(named_files([Path(p) for p in folders]))
    files: list[SavedFile] = []
    removed: list[SavedFile] = []
    fresh: list[SavedFile] = []
    for i, (root, path, rel) in enumerate(found):
        if i % 64 == 0:
            yield Progress("read", i, len(found))
        old = by_key.pop((str(root), rel), None)
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size, mtime = -1, -1
        if old is not None and not reread_all and (old.size, old.mtime_ns) == (size, mtime):
            counts.unchanged += 1
            files.append(old)
            continue
        readable = path.suffix.lower() in READABLE
        try:
            digest = _digest(path) if readable and size >= 0 else ""
        except OSError:
            digest = ""
        if old is not None and not reread_all and digest and digest == old.content_hash:
            counts.same_content += 1
            old.size, old.mtime_ns, old.touched = size, mtime, True
            files.append(old)
            continue
        docs, entry, problems = read_one(root, path, max_bytes, rel)
        fresh_file = SavedFile(str(root), rel, size, mtime, digest, entry, tuple(problems),
                               [SavedDocument(d) for d in docs])
        if old is not None:
            removed.append(old)
            counts.changed += 1
        else:
            counts.added += 1
        files.append(fresh_file)
        fresh.append(fresh_file)
    yield Progress("read", len(found), len(found))
    counts.removed = len(by_key)
    removed.extend(by_key.values())
    return Changes(files, removed, fresh)
