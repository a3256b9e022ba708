"""A workspace: one SQLite file that remembers a project's folders, its last scan and the user's decisions.

Open one with ``Workspace.create(path)`` (a new file), ``Workspace.open(path)`` (an existing one) or
``Workspace.open_or_create(path)``. What it offers (the GUI and the CLI use nothing else):

- ``folders()`` / ``set_folders(paths)`` / ``add_folders(paths)``: what a rescan reads;
- ``settings()`` / ``save_settings(settings)``: the scan's ``pipeline.Settings``;
- ``load()``: the last saved ``ScanResult`` (None before the first scan), read from the file alone;
- ``decisions()``, ``add_decision(decision)`` -> the stored decision (with ``decision_id`` and
  ``created``), ``remove_decision(decision_id)`` -> the removed one. Undo is ``remove_decision``, redo is
  ``add_decision`` of what it returned (it keeps its id and time). See ``decision`` for the kinds;
- ``save_result(result)``: store a result made from this workspace's last scan by
  ``apply_decisions`` (groups, events, shown spans and edits), without rescanning;
- ``save_as(path)``: a copy of the file elsewhere, opened; ``close()`` (also as a context manager).
Rescans are ``rescan.run_rescan(path, ...)``: a generator like ``pipeline.run_scan`` that opens its own
connection, so it can run on a worker thread while the window's Workspace stays on the GUI thread.

How the desktop app uses it (jobs are generators of Progress for ``gui.worker``; stage names it may see:
"open", "read", "stories", "boilerplate across outlet", "signatures", "candidates", "verify", "events",
"decisions", "save"):
- File > New: ``Workspace.create(path, folders)``, then the job ``run_rescan(path)``;
- File > Open / a recent workspace: ``Workspace.open(path)`` on the GUI thread (fast: checks only; shows
  ``read_only_reason`` in the title if read-only), then the job ``rescan.run_load(path)`` for the result;
  File > Rescan: the job ``run_rescan(path, counts=RescanCounts())`` (``counts.line()`` for the status bar);
- File > Save As: ``ws.save_as(new_path)`` returns the new, open Workspace (close the old one). Every
  change is saved as it is made; there is no unsaved state to lose;
- a decision (a QUndoCommand): ``redo`` stores it with ``ws.add_decision(d)`` (keep what it returns),
  ``undo`` calls ``ws.remove_decision(stored.decision_id)``; after either, the job
  ``apply_decisions.run_apply_decisions(result, ws.decisions(), sets)`` gives what to show (``sets``:
  the window's ``Similarities.sets``, optional), and ``ws.save_result(shown)`` keeps it for the next open;
- what to show as edited: ``result.edits`` (story id -> edit words), a boilerplate span with ``kept`` set
  (text after all) and spans of kind ``decided_boilerplate.MARKED_BY_USER``; events are found by story,
  never by number: ``RenameEvent(event.story_ids[0], label)``, ``MoveStory.of(result, story, to_story)``.

Safety: the file is in WAL mode and every write is one transaction, so a process killed at any moment
leaves the last committed state. A file that is not SQLite, not a workspace, damaged, or from a newer
version of newsdedup raises ``WorkspaceError`` (its message names the file and says what to do) and is
not changed: it is checked through a read-only connection before anything may write. A file marked
read-only, or on a read-only medium, opens read-only (``read_only`` is True) and any write raises
``WorkspaceError``. Not thread-safe: one Workspace per thread.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from newsdedup import __version__
from newsdedup import settings as scan_settings
from newsdedup.corrections.decisions import Decision, from_record, to_record
from newsdedup.export import not_a_plain_file
from newsdedup.model import ScanResult
from newsdedup.settings import Settings
from newsdedup.workspace import saved_scan
from newsdedup.workspace import schema as workspace_schema
from newsdedup.workspace.file import (
    SUFFIX,
    WorkspaceError,
    check,
    connect,
    disk_full,
    journal_impossible,
    read_only_reason,
    write_error,
)

__all__ = ["SUFFIX", "Workspace", "WorkspaceError", "read_only_reason"]


def _folder_value(path: str) -> str | bytes:
    """A folder's path as stored: its text, or its bytes if its name is not UTF-8 (Linux allows that), so
    that the folder is found again exactly."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Workspace:
    """An open workspace file. Use ``create``, ``open`` or ``open_or_create``, not the constructor."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: str = "") -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self.read_only_reason = read_only
        self.read_only = bool(read_only)

    # -- opening and closing -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, folders: Sequence[Path] = (), settings: Settings | None = None,
               replace: bool = False) -> Workspace:
        """A new, empty workspace at ``path``; WorkspaceError if a file is there already, unless ``replace``
        (the user agreed to replace it: File > New onto an existing name)."""
        path = Path(path)
        if path.exists() and replace and path.is_file():
            for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                old.unlink(missing_ok=True)
        if path.exists():
            raise WorkspaceError(f"{path} exists already; open it, or choose another name")
        if not path.parent.is_dir():
            raise WorkspaceError(f"cannot create {path}: the folder {path.parent} does not exist")
        try:
            conn = connect(path, read_only=False)
            conn.execute("PRAGMA journal_mode = WAL")
            ws = cls(path, conn)
            with ws.transaction():
                workspace_schema.create(conn)
                conn.execute("INSERT INTO settings VALUES ('created_with', ?)", (__version__,))
                conn.execute("INSERT INTO settings VALUES ('created', ?)", (_now(),))
        except (sqlite3.Error, WorkspaceError) as exc:
            try:
                conn.close()
            except (NameError, sqlite3.Error):
                pass
            for made in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                made.unlink(missing_ok=True)  # ours, half made (a full disk): not left to be mistaken for one
            if isinstance(exc, WorkspaceError):
                raise
            raise write_error(path, exc) from exc
        ws._setup()
        if folders:
            ws.set_folders(folders)
        if settings is not None:
            ws.save_settings(settings)
        return ws

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> Workspace:
        """The workspace at ``path``, migrated to the current schema if it is older (unless read-only)."""
        path = Path(path)
        reason = "opened read-only" if read_only else ""
        try:
            reason = reason or read_only_reason(path)
        except OSError:
            pass  # _check says what is wrong with a path that cannot be looked at
        try:
            medium = journal_impossible(path)
        except OSError:
            medium = False
        # Read-only and no journal beside it (nobody has it open for writing, nothing left to recover):
        # read it as the unchanging file it is, so that reading leaves no -wal/-shm files beside it.
        medium = medium or (bool(reason) and not any(
            path.with_name(path.name + end).exists() for end in ("-wal", "-shm")))
        version = check(path, immutable=medium)
        if reason and version < workspace_schema.SCHEMA_VERSION:
            raise WorkspaceError(f"{path} is from an older newsdedup and must be upgraded, but {reason}; "
                                 "copy it somewhere writable and open the copy")
        try:
            conn = connect(path, read_only=bool(reason), immutable=medium)
            ws = cls(path, conn, reason)
            if not reason:
                conn.execute("PRAGMA journal_mode = WAL")
                if version < workspace_schema.SCHEMA_VERSION:
                    with ws.transaction():
                        workspace_schema.migrate(conn, version)
            ws._setup()
        except sqlite3.DatabaseError as exc:
            if disk_full(path):
                raise WorkspaceError(f"cannot open {path}: the disk holding it is full. Free some space and "
                                     "try again") from exc
            raise WorkspaceError(f"cannot open {path}: {exc}") from exc
        return ws

    @classmethod
    def open_or_create(cls, path: Path | str) -> Workspace:
        path = Path(path)
        return cls.open(path) if path.exists() else cls.create(path)

    def _setup(self) -> None:
        self.connection.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            self.connection.execute("PRAGMA synchronous = NORMAL")  # WAL: a killed process loses nothing committed

    def close(self) -> None:
        if self._conn is None:
            return
        try:
            if not self.read_only:
                self._conn.execute("PRAGMA optimize")
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file to copy
        except sqlite3.Error:
            pass  # another connection still reading: the WAL stays, nothing is lost
        self._conn.close()
        self._conn = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise WorkspaceError(f"{self.path} is closed")
        return self._conn

    @contextmanager
    def transaction(self):
        """One write transaction: all of it is saved, or (on any error, or a generator closed inside it)
        none of it."""
        if self.read_only:
            raise WorkspaceError(f"{self.path} is read-only ({self.read_only_reason}); nothing was changed. "
                                 "Use Save As to keep your changes in a writable copy")
        conn = self.connection
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from exc
        try:
            yield conn
        except sqlite3.Error as exc:  # a full disk, most often: said so, never a traceback
            self._rollback()
            raise write_error(self.path, exc) from exc
        except BaseException:
            self._rollback()
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise write_error(self.path, exc) from exc

    def _rollback(self) -> None:
        try:
            self.connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite rolled back itself (after SQLITE_FULL it may have)

    def _read(self, sql: str, args=()) -> list:
        try:
            return self.connection.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path} cannot be read ({exc}); restore it from a backup") from exc

    # -- folders and settings ------------------------------------------------------------------------------
    def folders(self) -> list[Path]:
        # a name that is not UTF-8 is kept as its bytes (see set_folders)
        return [Path(os.fsdecode(p) if isinstance(p, bytes) else p)
                for (p,) in self._read("SELECT path FROM folders ORDER BY position")]

    def set_folders(self, paths: Sequence[Path]) -> None:
        """The folders (or files) a rescan reads, in this order."""
        unique = list(dict.fromkeys(_folder_value(str(Path(p).resolve())) for p in paths))
        with self.transaction() as conn:
            conn.execute("DELETE FROM folders")
            conn.executemany("INSERT INTO folders (position, path) VALUES (?, ?)", enumerate(unique))

    def add_folders(self, paths: Sequence[Path]) -> None:
        self.set_folders(self.folders() + [Path(p) for p in paths])

    def value(self, key: str, default: str = "") -> str:
        row = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return row[0][0] if row else default

    def settings(self) -> Settings:
        return scan_settings.from_json(self.value("scan_settings"))

    def save_settings(self, settings: Settings) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings VALUES ('scan_settings', ?)",
                         (scan_settings.to_json(settings),))

    # -- decisions -----------------------------------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        """Every stored decision, oldest first (later ones win where two disagree)."""
        rows = self._read("SELECT decision_id, kind, payload, created FROM decisions ORDER BY decision_id")
        out = []
        for decision_id, kind, payload, created in rows:
            try:
                out.append(from_record(kind, payload, decision_id, created))
            except ValueError as exc:
                raise WorkspaceError(f"{self.path}: decision {decision_id} cannot be read ({exc}); it may be "
                                     "from a newer newsdedup") from exc
        return out

    def add_decision(self, decision: Decision) -> Decision:
        """Store ``decision``; returns it with its id and time. One already stored before (redo after an
        undo) keeps both."""
        kind, payload = to_record(decision)
        created = decision.created or _now()
        with self.transaction() as conn:
            cur = conn.execute("INSERT INTO decisions (decision_id, kind, payload, created) VALUES (?, ?, ?, ?)",
                               (decision.decision_id or None, kind, payload, created))
        return from_record(kind, payload, cur.lastrowid, created)

    def remove_decision(self, decision_id: int) -> Decision:
        """Forget a decision (undo); returns it, so that ``add_decision`` can bring it back (redo)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT kind, payload, created FROM decisions WHERE decision_id = ?",
                               (decision_id,)).fetchone()
            if row is None:
                raise WorkspaceError(f"{self.path} has no decision {decision_id}")
            conn.execute("DELETE FROM decisions WHERE decision_id = ?", (decision_id,))
        return from_record(row[0], row[1], decision_id, row[2])

    # -- results -------------------------------------------------------------------------------------------
    def load(self) -> ScanResult | None:
        """The last saved result, from the file alone (no article is read); None before the first scan."""
        try:
            return saved_scan.load_result(self.connection)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path} cannot be read ({exc}); restore it from a backup") from exc

    def save_result(self, result: ScanResult) -> None:
        """Store what ``apply_decisions`` made of the last scan: groups, events, shown spans, edits.

        The next rescan still applies the stored decisions itself (it does not trust that ``result``
        carries all of them), without reading a file."""
        with self.transaction() as conn:
            before = {sid for (sid,) in conn.execute("SELECT story_id FROM edits")}
            touched = before | set(result.edits)
            saved_scan.save_shown_stories(conn, [s for s in result.stories if s.story_id in touched])
            saved_scan.save_outcome(conn, result)

    def save_as(self, path: Path | str) -> Workspace:
        """A copy of this workspace at ``path`` (replacing a file there), opened. This one stays open."""
        path = Path(path)
        if path.exists() and path.resolve() == self.path.resolve():
            return Workspace.open(path)
        refusal = not_a_plain_file(path)
        if refusal:  # as an export: a link or a device is left as it is, never replaced by a copy
            raise WorkspaceError(f"cannot save the workspace as {path}: it is {refusal}, not a regular file; "
                                 "it was left as it is")
        tmp = path.with_name(f".{path.name}.part")
        try:
            if tmp.exists():
                tmp.unlink()
            dest = sqlite3.connect(tmp)
            try:
                self.connection.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # one file until it is opened
            finally:
                dest.close()
            os.replace(tmp, path)
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            raise WorkspaceError(f"cannot save the workspace as {path}: {exc}") from exc
        return Workspace.open(path)
