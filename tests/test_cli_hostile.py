"""The command line in front of hostile names, outputs and interrupts: plain messages, never a traceback."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

from newsdedup.cli import terminal_safe

ARTICLE = "The council approved the harbour budget after a long debate about the bridge. " * 8


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "newsdedup", *map(str, args)], capture_output=True, text=True,
                          timeout=300, **kwargs)


def test_a_name_with_terminal_escapes_is_printed_escaped(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "ok.txt").write_text("Budget\n\n" + ARTICLE)
    (folder / "evil\x1b]0;owned\x07\x1b[2J.txt").write_bytes(b"\x00 binary")
    proc = run("scan", folder)
    assert proc.returncode == 0 and "\x1b" not in proc.stdout + proc.stderr
    assert "evil\\x1b]0;owned\\x07\\x1b[2J.txt" in proc.stdout
    assert terminal_safe("a\u202eb\n") == "a\\u202eb\n"


def test_export_onto_a_link_or_a_pipe_is_refused_and_they_stay(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "ok.txt").write_text("Budget\n\n" + ARTICLE)
    target = tmp_path / "target.txt"
    target.write_text("keep me\n")
    (tmp_path / "link.csv").symlink_to(target)
    os.mkfifo(tmp_path / "pipe.csv")
    for out, kind in (("link.csv", "a link"), ("pipe.csv", "a named pipe")):
        proc = run("scan", folder, "--csv", tmp_path / out)
        assert proc.returncode == 2 and f"is {kind}, not a regular file" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert (tmp_path / "link.csv").is_symlink() and target.read_text() == "keep me\n"
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.csv").st_mode)


def test_exported_files_get_the_permissions_of_the_users_umask(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "ok.txt").write_text("Budget\n\n" + ARTICLE)
    old = os.umask(0o027)
    try:
        assert run("scan", folder, "--csv", tmp_path / "c.csv", "--json", tmp_path / "r.json").returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "c.csv").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o640


def test_ctrl_c_ends_the_scan_with_a_short_message_and_status_130(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    for i in range(2000):
        (folder / f"n{i}.txt").write_text(f"Item {i}\n\n{ARTICLE} number {i}")
    proc = subprocess.Popen([sys.executable, "-m", "newsdedup", "scan", str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_until_reading(proc.pid, folder)  # into the scan, however slowly a busy machine imports
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, out + err
    # the last word is one short line (progress lines of a long scan may stand before it), no traceback
    assert "Traceback" not in err and "interrupted" in err.strip().splitlines()[-1]


def _wait_until_reading(pid: int, folder, timeout: float = 120.0) -> None:
    """Until the process has a file of ``folder`` open (Linux's /proc), or a while has passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            targets = []
        if any(t.startswith(str(folder)) for t in targets):
            return
        time.sleep(0.05)
