"""Walking dropped folders: which paths are files to read, and which must not be opened at all.

What a folder holds is checked before anything opens or hashes it, from ``os.lstat``/``os.stat`` alone:
- a named pipe, a device or a socket is never opened (reading one can block forever or never end);
- a link that leaves the dropped folder (to a system file, another disk) is listed, not followed, unless
  the user asks (``follow_links``): dropping a folder should read that folder;
- a subfolder that cannot be listed (no permission) is listed as a problem, not skipped in silence.
Names that are not valid UTF-8 (possible on Linux) are given in a printable form: their bad bytes written
as backslash escapes (``caf\\xe9.txt``), so every name can be shown, exported and saved.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

MAX_DEPTH = 100  # folders within folders; deeper is a trap (or a loop the inode check cannot see)
SPECIAL_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                 (stat.S_ISSOCK, "a socket"))


def display(text: str) -> str:
    """``text`` (a name from the file system, or any text read from a file) as valid, printable UTF-8:
    undecodable bytes and lone surrogates become backslash escapes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape") if _only_escapes(text) else \
            text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")


def _only_escapes(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def inside(path: Path, folder_real: str) -> bool:
    """True if ``path``, its links resolved, is ``folder_real`` or within it."""
    real = os.path.realpath(path)
    return real == folder_real or real.startswith(folder_real.rstrip(os.sep) + os.sep)


def path_problem(root: Path, path: Path, follow_links: bool = False) -> str:
    """Why ``path`` (found under ``root``) must not be opened, or "" if it is a regular file to read.
    Looks at the path only (``lstat``/``stat``): nothing is opened."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot be looked at: {exc.strerror or exc}"
    if stat.S_ISLNK(st.st_mode):
        if not follow_links and not inside(path, os.path.realpath(root)):
            target = display(os.path.realpath(path))
            return (f"a link to {target}, outside the folder; not followed "
                    "(scan with --follow-links to read such links)")
        try:
            st = os.stat(path)
        except OSError:
            return "a broken link (its target is missing)"
    if stat.S_ISDIR(st.st_mode):
        return "a folder that was not walked"
    for test, kind in SPECIAL_KINDS:
        if test(st.st_mode):
            return f"{kind}, not a file; not opened"
    return ""


def iter_files(paths: list[Path], follow_links: bool = False) -> Iterator[tuple[Path, Path, str]]:
    """Yield (root, path, problem) for every file under ``paths``, each real file once, skipping hidden
    folders and files. ``problem`` is "" for a file to read, else why it is not read (see
    ``path_problem``): a special file, a link leaving the folder, a subfolder that cannot be listed.

    Links inside the folder are followed; a folder reached twice (a loop, two links to one place) is
    walked once and a file reached twice is yielded once.
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        given = Path(given)
        if not given.is_dir():
            key = _inode(given)
            if key is None or key not in seen_files:
                if key is not None:
                    seen_files.add(key)
                yield given.parent, given, path_problem(given.parent, given, follow_links=True)
            continue
        yield from _walk(given, follow_links, seen_files, seen_dirs)


def _walk(root: Path, follow_links: bool, seen_files: set, seen_dirs: set) -> Iterator[tuple[Path, Path, str]]:
    """One dropped folder, in the order ``os.walk`` gives (a folder's files, then each subfolder's whole
    tree, names sorted), without recursion: a folder nested thousands deep costs no stack."""
    root_real = os.path.realpath(root)
    stack = [(root, 0)]
    while stack:
        here, depth = stack.pop()
        key = _inode(here)
        if key is None or key in seen_dirs:
            continue
        seen_dirs.add(key)
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield root, here, f"a folder that cannot be read: {exc.strerror or exc}"
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = here / entry.name
            if not _is_dir(entry):
                fkey = _inode(path)
                if fkey is None or fkey not in seen_files:
                    if fkey is not None:
                        seen_files.add(fkey)
                    yield root, path, path_problem(root, path, follow_links)
            elif not follow_links and entry.is_symlink() and not inside(path, root_real):
                yield root, path, path_problem(root, path)
            elif depth + 1 > MAX_DEPTH:
                yield root, path, f"a folder nested too deeply (over {MAX_DEPTH} levels); not walked"
            else:
                subfolders.append(path)
        stack.extend((sub, depth + 1) for sub in reversed(subfolders))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows links, as os.walk(followlinks=True) did
    except OSError:
        return False


def named_files(paths: list[Path], follow_links: bool = False) -> Iterator[tuple[Path, Path, str, str]]:
    """``iter_files`` with each file's name in the results: its path under the folder it was found in
    ("2024/story.txt"), unless a file found earlier already has that name (two folders dropped together
    that each hold a "story.txt"); then the folder's own name goes in front ("tuesday/story.txt"), and
    if that is taken too, the folder's whole path. The first of two such files keeps the short name, so
    the names stay the same from one scan of the same folders to the next. Yields (root, path, name,
    problem); names are printable (``display``)."""
    taken: set[str] = set()
    for root, path, problem in iter_files(paths, follow_links):
        name = relative(root, path)
        for candidate in (name, f"{display(root.name)}/{name}", f"{display(root.as_posix())}/{name}"):
            if candidate not in taken:
                name = candidate
                break
        taken.add(name)
        yield root, path, name, problem


def relative(root: Path, path: Path) -> str:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    return display(rel or path.name)


def _inode(p: Path) -> tuple[int, int] | None:
    try:
        st = p.stat()
    except OSError:
        return None  # a broken link or a file gone: reading it reports the problem
    return st.st_dev, st.st_ino
