"""Opening a workspace file safely: what is checked, through a read-only connection, before anything may
write, and how a file that must not be written is recognised.

``check`` refuses (``WorkspaceError``, naming the file and saying what to do) a missing path, a folder, a
file that is not SQLite, another program's SQLite file (``application_id``), a damaged file
(``PRAGMA quick_check``) and a file from a newer schema; none of them is changed. ``read_only_reason``
says why a file must be opened read-only, or "".
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from newsdedup import __version__
from newsdedup.workspace import schema as workspace_schema

SUFFIX = ".newsdedup"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY_MS = 30_000  # a scan saving on another thread holds the write lock for seconds at most


class WorkspaceError(Exception):
    """A workspace that cannot be opened or written; the message names the file and says what to do."""


def disk_full(path: Path) -> bool:
    """True when the disk holding ``path`` has no room left for a workspace to grow (less than 64 KB)."""
    try:
        st = os.statvfs(path.parent if not path.is_dir() else path)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def write_error(path: Path, exc: Exception) -> WorkspaceError:
    """What went wrong writing ``path``, in words: a full disk said so, another writer named."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or disk_full(path):
        return WorkspaceError(f"cannot write {path}: the disk is full; nothing of this change was saved and the "
                              "workspace is as it was. Free some space and try again")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return WorkspaceError(f"cannot write {path}: another program (or another newsdedup) is writing it; "
                              "try again when it has finished")
    return WorkspaceError(f"cannot write {path}: {exc}; the workspace is as it was last saved")


def read_only_reason(path: Path) -> str:
    """Why ``path`` must not be written ("" if it may be). The file's own write bits count even for root,
    who could write anyway: a file someone marked read-only is treated as read-only."""
    folder = path.parent
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return "it is on a read-only medium"
    if not path.stat().st_mode & 0o222:
        return "the file is marked read-only"
    if not os.access(path, os.W_OK):
        return "you may not write to the file"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "its folder is not writable (a workspace keeps its journal beside it)"
    return ""


def journal_impossible(path: Path) -> bool:
    """True when SQLite could not make its WAL index beside ``path`` (a read-only medium or folder): the
    file is then opened as immutable, which it is for as long as it stays there."""
    folder = path.parent
    return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK | os.X_OK)


def connect(path: Path, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" + ("&immutable=1" if immutable else "") if read_only else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=_BUSY_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    return conn


def check(path: Path, immutable: bool) -> int:
    """The schema version of a workspace file, checked through a read-only connection; WorkspaceError if
    it is not one we can open."""
    if not path.exists():
        raise WorkspaceError(f"{path}: no such workspace; check the name, or create a new workspace")
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file; choose a {SUFFIX} file")
    if not path.is_file():  # a pipe or a device: opening it could block forever
        raise WorkspaceError(f"{path} is not a regular file, so not a workspace; choose a {SUFFIX} file")
    with open(path, "rb") as fh:
        head = fh.read(len(_SQLITE_MAGIC))
    if head != _SQLITE_MAGIC:
        raise WorkspaceError(f"{path} is not a newsdedup workspace (not an SQLite file); "
                             f"choose a {SUFFIX} file or create a new workspace")
    try:
        conn = connect(path, read_only=True, immutable=immutable)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if disk_full(path):
            raise WorkspaceError(f"{path} cannot be opened: the disk holding it is full (a workspace needs a "
                                 "little room beside it to be read). Free some space and try again") from exc
        raise WorkspaceError(f"{path} cannot be opened ({exc}); check that you may read it and its folder"
                             ) from exc
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path} is damaged ({exc}); it was left as it is: restore it from a backup, "
                             "or create a new workspace and rescan") from exc
    if problems != ["ok"]:
        raise WorkspaceError(f"{path} is damaged ({problems[0]}); it was left as it is: restore it from a "
                             "backup, or create a new workspace and rescan")
    if app_id != workspace_schema.APPLICATION_ID:
        raise WorkspaceError(f"{path} is an SQLite file of another program, not a newsdedup workspace; "
                             f"choose a {SUFFIX} file")
    if version > workspace_schema.SCHEMA_VERSION:
        raise WorkspaceError(f"{path} was written by a newer newsdedup (workspace version {version}; this is "
                             f"{__version__}, which reads up to {workspace_schema.SCHEMA_VERSION}); it was left "
                             "as it is: open it with the newer version")
    if version < 1:
        raise WorkspaceError(f"{path} is not a complete newsdedup workspace (no schema version); "
                             "create a new workspace")
    return version
