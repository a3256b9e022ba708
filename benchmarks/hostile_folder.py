"""Hostile folders, tried through the command line as a user would meet them: one line per kind.

    python benchmarks/hostile_folder.py [--src SRC] [--only NAME ...] [--timeout 60]

Each kind builds its own folder in a temporary directory, runs ``python -m newsdedup.cli scan ...`` in a
child process (``--src``: the source tree to run, "src" by default: give another checkout's src to see
its outcome) and checks what a user would: the exit status, whether a traceback reached the terminal,
whether the kind is listed as a problem, whether the rest of the folder was read, whether the workspace
kept its stories, whether the command ended in time. It prints ``kind | ok/FAIL | what happened``.

Kinds that need root (a small tmpfs for a full disk, a device node, another user for unreadable folders)
are skipped when not run as root. Nothing outside the temporary directory is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ARTICLE = ("The city council approved the harbour budget on Tuesday after a long debate about the "
           "bridge repairs, the school roof and the new bus lanes along the river. ") * 6
NOBODY = 65534


class Run:
    def __init__(self, rc, out, err, seconds):
        self.rc, self.out, self.err, self.seconds = rc, out, err, seconds

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.err

    def __str__(self) -> str:
        if self.rc is None:
            return f"still running after {self.seconds:.0f} s (killed)"
        tail = (self.err.strip().splitlines() or [""])[-1][:110]
        return f"exit {self.rc}{', traceback' if self.traceback else ''}: {tail!r}"


def _memory_cap() -> None:
    # a bomb that is not stopped must not take the shared machine down with it
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def cli(src: str, args: list, timeout: float, user: int | None = None, cwd=None, env=None) -> Run:
    env = dict(os.environ if env is None else env, PYTHONPATH=src)
    cmd = [sys.executable, "-m", "newsdedup.cli", "scan", *map(os.fsencode, args)]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                            start_new_session=True, preexec_fn=_memory_cap)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Run(None, out.decode(errors="replace"), err.decode(errors="replace"), time.perf_counter() - start)
    return Run(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"),
               time.perf_counter() - start)


def folder_with_article(tmp: Path, name="news") -> Path:
    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text("Harbour budget approved\n\n" + ARTICLE, encoding="utf-8")
    return folder


def stories(run: Run) -> int:
    for line in run.out.splitlines():
        if line.startswith("stories:"):
            return int(line.split()[1])
    return -1


def verdict_listed(run: Run, needle: str, want_stories: int = 1) -> tuple[bool, str]:
    listed = needle in run.out
    ok = run.rc == 0 and not run.traceback and listed and stories(run) >= want_stories
    what = str(run) if not ok else f"exit 0, listed: {next(ln for ln in run.out.splitlines() if needle in ln).strip()[:100]}"
    return ok, what


# -- structure bombs --------------------------------------------------------------------------------------
def json_deep(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    return verdict_listed(cli(src, [folder], timeout), "deep.json")


def json_big_number(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "number.json").write_text('{"id": 1, "text": "x", "n": ' + "7" * 20_000 + "}")
    return verdict_listed(cli(src, [folder], timeout), "number.json")


def jsonl_deep_line(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "feed.jsonl").write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n" + "{\"a\":" * 50_000 + "\n")
    return verdict_listed(cli(src, [folder], timeout), "feed.jsonl", want_stories=2)


def mail_deep(tmp, src, timeout):
    folder = folder_with_article(tmp)
    n = 3000
    head = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(n))
    tail = "".join(f"\n--b{i}--\n" for i in reversed(range(n)))
    (folder / "deep.eml").write_text("From: a@b.c\nSubject: deep\nMIME-Version: 1.0\n" + head
                                     + "Content-Type: text/plain\n\nhello\n" + tail)
    return verdict_listed(cli(src, [folder], timeout), "deep.eml")


def html_many_elements(tmp, src, timeout):
    folder = folder_with_article(tmp)
    p = "<p>The council met today to discuss the harbour budget and the bridge repairs over many hours.</p>\n"
    (folder / "huge.html").write_text("<html><body><article>" + p * 150_000 + "</article></body></html>")
    run = cli(src, [folder], timeout)
    ok, what = verdict_listed(run, "huge.html")
    return ok, f"{what} ({run.seconds:.1f} s)"


def docx_bomb(tmp, src, timeout):
    folder = folder_with_article(tmp)
    try:
        import docx
    except ImportError:
        return None, "python-docx not installed"
    plain = tmp / "plain.docx"
    docx.Document().save(plain)
    bomb = folder / "bomb.docx"
    with zipfile.ZipFile(plain) as src_zip, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src_zip.infolist():
            data = src_zip.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, rest = data.partition(b"<w:body>")
                data = head + b"<w:body>" + b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 3_000_000 + rest
            out.writestr(item, data)
    run = cli(src, [folder], timeout)
    ok, what = verdict_listed(run, "bomb.docx")
    return ok, f"{what} ({bomb.stat().st_size // 1024} KB file, {run.seconds:.1f} s)"


# -- special files and links ------------------------------------------------------------------------------
def fifo_with_workspace(tmp, src, timeout):
    folder = folder_with_article(tmp)
    os.mkfifo(folder / "pipe.txt")
    return verdict_listed(cli(src, [folder, "--workspace", tmp / "p.newsdedup"], timeout), "pipe.txt")


def fifo_without_workspace(tmp, src, timeout):
    folder = folder_with_article(tmp)
    os.mkfifo(folder / "pipe.txt")
    return verdict_listed(cli(src, [folder], timeout), "pipe.txt")


def device_link_with_workspace(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "zero.txt").symlink_to("/dev/zero")
    return verdict_listed(cli(src, [folder, "--workspace", tmp / "p.newsdedup"], timeout), "zero.txt")


def link_leaving_folder(tmp, src, timeout):
    folder = folder_with_article(tmp)
    outside = tmp / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET diary entry nobody dropped\n\n" + ARTICLE.replace("city", "town"))
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    run = cli(src, [folder, "--json", tmp / "r.json"], timeout)
    read = "SECRET" in (tmp / "r.json").read_text() if (tmp / "r.json").exists() else False
    ok = run.rc == 0 and not run.traceback and not read and "secret.txt" in run.out
    return ok, ("file outside the folder read as an article" if read else str(run) if not ok
                else "listed, not read: " + next(ln for ln in run.out.splitlines() if "secret.txt" in ln).strip()[:90])


# -- names ------------------------------------------------------------------------------------------------
def non_utf8_name_export(tmp, src, timeout):
    folder = folder_with_article(tmp)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"Cafe news\n\n" + ARTICLE.replace("city", "cafe").encode())
    run = cli(src, [folder, "--csv", tmp / "c.csv", "--json", tmp / "r.json"], timeout)
    ok = run.rc == 0 and not run.traceback and (tmp / "c.csv").exists() and (tmp / "r.json").exists()
    if ok:
        ok = "caf\\xe9.txt" in (tmp / "c.csv").read_text(encoding="utf-8")
        return ok, "exit 0, CSV and JSON written, name shown as caf\\xe9.txt" if ok else "name lost in the CSV"
    return ok, str(run)


def non_utf8_name_rescan(tmp, src, timeout):
    folder = folder_with_article(tmp)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"Cafe news\n\n" + ARTICLE.replace("city", "cafe").encode())
    ws = tmp / "p.newsdedup"
    first = cli(src, [folder, "--workspace", ws], timeout)
    second = cli(src, ["--workspace", ws, "--csv", tmp / "c.csv"], timeout)
    ok = all(r.rc == 0 and not r.traceback for r in (first, second)) and stories(second) == 2
    return ok, f"first: {first}; rescan: {second}" if not ok else "exit 0 twice, both stories kept"


def escape_in_name(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "evil\x1b]0;owned\x07\x1b[2J.txt").write_bytes(b"\x00\x01binary")
    run = cli(src, [folder], timeout)
    raw = "\x1b" in run.out or "\x1b" in run.err
    ok = run.rc == 0 and not run.traceback and not raw and "evil" in run.out
    return ok, "escape sequences printed raw" if raw else str(run) if not ok else "printed escaped: " + next(
        ln for ln in run.out.splitlines() if "evil" in ln).strip()[:90]


# -- workspace folders ------------------------------------------------------------------------------------
def _stories_after_rescan(tmp, src, timeout, break_it, user=None):
    folder = folder_with_article(tmp)
    (folder / "second.txt").write_text("Storm closes airport\n\n" + ARTICLE.replace("council", "storm"))
    ws = tmp / "p.newsdedup"
    if user is not None:
        shutil.chown(tmp, user, user)
        for p in [folder, *folder.iterdir()]:
            shutil.chown(p, user, user)
    first = cli(src, [folder, "--workspace", ws], timeout, user=user)
    undo = break_it(folder)
    second = cli(src, ["--workspace", ws, "--csv", tmp / "c.csv"], timeout, user=user)
    undo()
    rows = len((tmp / "c.csv").read_text().splitlines()) - 1 if (tmp / "c.csv").exists() else None
    third = cli(src, ["--workspace", ws], timeout, user=user)
    kept = stories(second) == 2 and stories(third) == 2
    ok = first.rc == 0 and not second.traceback and kept
    return ok, (f"rescan: {second}, stories {stories(second)}, CSV rows {rows}; back again: stories "
                f"{stories(third)}")


def folder_empty_at_rescan(tmp, src, timeout):
    def unmount_like(folder):  # an empty tmpfs mounted over it: what an unmounted drive's mount point shows
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
        return lambda: subprocess.run(["umount", str(folder)], check=True)
    if os.geteuid() != 0:
        return None, "needs root (mount)"
    return _stories_after_rescan(tmp, src, timeout, unmount_like)


def folder_unreadable_at_rescan(tmp, src, timeout):
    def lock(folder):
        folder.chmod(0)
        return lambda: folder.chmod(0o755)
    if os.geteuid() != 0:
        return None, "needs root (another user)"
    return _stories_after_rescan(tmp, src, timeout, lock, user=NOBODY)


def unreadable_subfolder(tmp, src, timeout):
    if os.geteuid() != 0:
        return None, "needs root (another user)"
    folder = folder_with_article(tmp)
    sub = folder / "locked"
    sub.mkdir()
    (sub / "hidden.txt").write_text("x\n\n" + ARTICLE)
    for p in (tmp, folder, sub, sub / "hidden.txt", folder / "good.txt"):
        shutil.chown(p, NOBODY, NOBODY)
    sub.chmod(0)
    return verdict_listed(cli(src, [folder], timeout, user=NOBODY), "locked")


def concurrent_rescans(tmp, src, timeout):
    folder = folder_with_article(tmp)
    for i in range(300):
        (folder / f"n{i}.txt").write_text(f"Item {i}\n\n" + ARTICLE + f" number {i} " * 30)
    ws = tmp / "p.newsdedup"
    env = dict(os.environ, PYTHONPATH=src)
    cmds = [[sys.executable, "-m", "newsdedup.cli", "scan", str(folder), "--workspace", str(ws)]] * 2
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for c in cmds]
    outs = [p.communicate(timeout=timeout) for p in procs]
    errs = [e.decode() for _, e in outs]
    tb = [("IntegrityError" if "IntegrityError" in e else "traceback") for e in errs if "Traceback" in e]
    final = cli(src, ["--workspace", ws], timeout)
    ok = not tb and stories(final) == 301
    other = [e.strip().splitlines()[-1][:100] for e in errs if e.strip()]
    return ok, f"exit {[p.returncode for p in procs]}, {tb or 'no traceback'}; {other}; after: {stories(final)} stories"


def _small_disk(tmp: Path, size: str) -> Path:
    disk = tmp / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], check=True)
    return disk


def disk_full_save(tmp, src, timeout):
    if os.geteuid() != 0:
        return None, "needs root (mount)"
    folder = folder_with_article(tmp)
    for i in range(400):
        (folder / f"n{i}.txt").write_text(f"Item {i}\n\n" + ARTICLE + f" number {i} " * 30)
    disk = _small_disk(tmp, "600k")
    try:
        run = cli(src, [folder, "--workspace", disk / "p.newsdedup"], timeout)
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    ok = run.rc not in (0, None) and not run.traceback and "full" in run.err
    return ok, str(run)


def disk_full_open(tmp, src, timeout):
    if os.geteuid() != 0:
        return None, "needs root (mount)"
    folder = folder_with_article(tmp)
    disk = _small_disk(tmp, "1m")
    try:
        cli(src, [folder, "--workspace", disk / "p.newsdedup"], timeout)
        try:
            with open(disk / "filler", "wb") as fh:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
        except OSError:
            pass  # the disk is full now
        run = cli(src, ["--workspace", disk / "p.newsdedup"], timeout)
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    ok = not run.traceback and ("full" in run.err or run.rc == 0)
    return ok, str(run)


def readonly_workspace_leftovers(tmp, src, timeout):
    folder = folder_with_article(tmp)
    ws = tmp / "p.newsdedup"
    cli(src, [folder, "--workspace", ws], timeout)
    ws.chmod(0o444)
    run = cli(src, ["--workspace", ws, "--csv", tmp / "c.csv"], timeout)
    left = sorted(p.name for p in tmp.iterdir() if p.name.startswith("p.newsdedup-"))
    ok = not left and not run.traceback
    return ok, f"{run}; left beside it: {left or 'nothing'}"


# -- export -----------------------------------------------------------------------------------------------
def export_onto_symlink(tmp, src, timeout):
    folder = folder_with_article(tmp)
    target = tmp / "target.txt"
    target.write_text("keep me\n")
    (tmp / "out.csv").symlink_to(target)
    run = cli(src, [folder, "--csv", tmp / "out.csv"], timeout)
    still = (tmp / "out.csv").is_symlink()
    ok = still and not run.traceback
    return ok, f"{run}; {'link kept' if still else 'link replaced by a regular file'}"


def export_onto_device(tmp, src, timeout):
    if os.geteuid() != 0:
        return None, "needs root (mknod)"
    folder = folder_with_article(tmp)
    node = tmp / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    run = cli(src, [folder, "--csv", node], timeout)
    still = stat.S_ISCHR(os.lstat(node).st_mode)
    ok = still and not run.traceback
    return ok, f"{run}; {'device node kept' if still else 'device node replaced by a regular file'}"


def export_umask(tmp, src, timeout):
    folder = folder_with_article(tmp)
    old = os.umask(0o022)
    try:
        run = cli(src, [folder, "--csv", tmp / "c.csv"], timeout)
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp / "c.csv").stat().st_mode) if (tmp / "c.csv").exists() else None
    return mode == 0o644, f"{run}; mode {oct(mode) if mode is not None else None} under umask 022"


def export_spaced_formula(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "rec.json").write_text(json.dumps({"id": "r", "source": '  =HYPERLINK("http://x","y")',
                                                 "text": ARTICLE.replace("city", "village")}))
    run = cli(src, [folder, "--csv", tmp / "c.csv"], timeout)
    text = (tmp / "c.csv").read_text() if (tmp / "c.csv").exists() else ""
    ok = "'  =HYPERLINK" in text
    return ok, "neutralised ('  =...)" if ok else f"{run}; cell written as '  =HYPERLINK...' without apostrophe"


# -- decoding ---------------------------------------------------------------------------------------------
def _json_text(tmp, src, timeout, name, data):
    folder = tmp / "news"
    folder.mkdir()
    (folder / name).write_bytes(data)
    run = cli(src, [folder, "--json", tmp / "r.json"], timeout)
    if not (tmp / "r.json").exists():
        return None, run
    docs = json.loads((tmp / "r.json").read_text())["documents"]
    return (docs[0] if docs else None), run


def utf32_file(tmp, src, timeout):
    text = "Zürich council report\n\n" + ARTICLE
    doc, run = _json_text(tmp, src, timeout, "u32.txt", text.encode("utf-32"))
    if doc is None:
        return False, str(run)
    ok = doc["text"].strip() == text.strip()
    return ok, f"read as {doc['encoding']}, {doc['text'].count(chr(0))} NULs in the text"


def utf8_with_latin1_lines(tmp, src, timeout):
    lines = [f"Ligne {i}: le café, l’été, naïve déjà vu — « citation »." for i in range(40)]
    data = "\n".join(lines).encode("utf-8") + b"\nUne ligne en latin-1: caf\xe9 cr\xe8me\n"
    doc, run = _json_text(tmp, src, timeout, "mixed.txt", data)
    if doc is None:
        return False, str(run)
    good = sum("l’été" in ln for ln in doc["text"].splitlines())
    ok = good == 40 and "café crème" in doc["text"]
    return ok, f"read as {doc['encoding']}; {good}/40 UTF-8 lines right; latin-1 line {'repaired' if 'café crème' in doc['text'] else 'garbled'}"


# -- found after the list ------------------------------------------------------------------------
def deep_folders(tmp, src, timeout):
    folder = folder_with_article(tmp)
    here = os.getcwd()
    os.chdir(folder)
    try:
        for _ in range(1500):  # deeper than Python's recursion limit; each name short, within PATH_MAX
            os.mkdir("x")
            os.chdir("x")
        Path("deep.txt").write_text("Deep\n\n" + ARTICLE)
    finally:
        os.chdir(here)
    return verdict_listed(cli(src, [folder], timeout), "nested too deeply")


def workspace_is_a_pipe(tmp, src, timeout):
    folder = folder_with_article(tmp)
    os.mkfifo(tmp / "p.newsdedup")
    run = cli(src, [folder, "--workspace", tmp / "p.newsdedup"], timeout)
    ok = run.rc == 2 and not run.traceback
    return ok, str(run)


def non_utf8_folder_in_workspace(tmp, src, timeout):
    folder = os.path.join(os.fsencode(tmp), b"d\xe9p\xeache")
    os.mkdir(folder)
    with open(os.path.join(folder, b"a.txt"), "wb") as fh:
        fh.write(b"Budget\n\n" + ARTICLE.encode())
    ws = tmp / "p.newsdedup"
    first = cli(src, [os.fsdecode(folder), "--workspace", ws], timeout)
    second = cli(src, ["--workspace", ws], timeout)
    ok = all(r.rc == 0 and not r.traceback for r in (first, second)) and stories(second) == 1
    return ok, f"first: {first}; rescan: {second}, stories {stories(second)}"


def json_lone_surrogate(tmp, src, timeout):
    folder = folder_with_article(tmp)
    (folder / "rec.jsonl").write_text('{"id": "a\\ud800", "title": "T\\udfff", "text": "' + ARTICLE + '\\ud800"}\n')
    ws = tmp / "p.newsdedup"
    first = cli(src, [folder, "--workspace", ws, "--csv", tmp / "c.csv", "--json", tmp / "r.json"], timeout)
    second = cli(src, ["--workspace", ws], timeout)
    ok = all(r.rc == 0 and not r.traceback for r in (first, second)) and stories(second) == 2
    return ok, f"first: {first}; rescan: {second}, stories {stories(second)}"


# -- interrupt --------------------------------------------------------------------------------------------
def ctrl_c(tmp, src, timeout):
    folder = folder_with_article(tmp)
    for i in range(3000):
        (folder / f"n{i}.txt").write_text(f"Item {i}\n\n" + ARTICLE + f" number {i} " * 30)
    env = dict(os.environ, PYTHONPATH=src)
    # SIGINT as a terminal sends it (a shell's background job would have it ignored: restored here)
    proc = subprocess.Popen([sys.executable, "-m", "newsdedup.cli", "scan", str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return False, f"still running {timeout:.0f} s after Ctrl-C (killed)"
    run = Run(proc.returncode, out.decode(), err.decode(), 0)
    ok = run.rc == 130 and not run.traceback
    return ok, str(run)


KINDS = [json_deep, json_big_number, jsonl_deep_line, mail_deep, html_many_elements, docx_bomb, fifo_with_workspace,
         fifo_without_workspace, device_link_with_workspace, link_leaving_folder, non_utf8_name_export,
         non_utf8_name_rescan, escape_in_name, folder_empty_at_rescan, folder_unreadable_at_rescan,
         unreadable_subfolder, concurrent_rescans, disk_full_save, disk_full_open, readonly_workspace_leftovers,
         export_onto_symlink, export_onto_device, export_umask, export_spaced_formula, utf32_file,
         utf8_with_latin1_lines, ctrl_c, deep_folders, workspace_is_a_pipe, non_utf8_folder_in_workspace,
         json_lone_surrogate]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(Path(__file__).resolve().parents[1] / "src"))
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    src = str(Path(args.src).resolve())
    failed = 0
    for kind in KINDS:
        if args.only and kind.__name__ not in args.only:
            continue
        tmp = Path(tempfile.mkdtemp(prefix="hostile-"))
        tmp.chmod(0o755)
        try:
            ok, what = kind(tmp, src, args.timeout)
        except Exception as exc:  # a harness fault is reported, not hidden
            ok, what = False, f"harness: {type(exc).__name__}: {exc}"
        finally:  # chmod and rm walk folders of any depth (Python's rglob and rmtree recurse)
            subprocess.run(["chmod", "-R", "u+rwx", str(tmp)], capture_output=True)
            subprocess.run(["rm", "-rf", str(tmp)], capture_output=True)
        failed += ok is False
        mark = "skip" if ok is None else "ok" if ok else "FAIL"
        print(f"{kind.__name__:30} | {mark:4} | {what}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
