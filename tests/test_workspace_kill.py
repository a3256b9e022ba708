"""A process killed while it saves a rescan leaves the workspace as it was last saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from newsdedup.corrections.decisions import RenameEvent
from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text
from newsdedup.workspace.rescan import RescanCounts, rescan
from newsdedup.workspace.store import Workspace

# Run in a child process: a rescan that kills its own process (SIGKILL: no cleanup of any kind) once it has
# written part of its save. A tiny page cache makes SQLite spill the unfinished transaction into the WAL
# file on disk before the kill, so the kill lands while the file really is being written.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from newsdedup.workspace import saved_scan
    from newsdedup.workspace import store as workspace
    from newsdedup.workspace.rescan import run_rescan

    saved_scan._BATCH = 10
    connect = workspace.connect
    def small_cache(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA cache_size = 8")
        return conn
    workspace.connect = small_cache
    for p in run_rescan(sys.argv[1]):
        if p.stage == "save" and p.done >= 100:
            print("killing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    print("finished", flush=True)
""")


def _articles(folder, n):
    folder.mkdir()
    words = ("council minister harbour strike budget vote court river storm school hospital bridge election "
             "rail police market festival museum airport farmers").split()
    for i in range(n):
        body = " ".join(words[(i * 7 + k * k) % len(words)] for k in range(400))
        (folder / f"item{i:04d}.txt").write_text(f"Report number {i}\n\n{body}.\n", encoding="utf-8")


def test_killed_mid_save_then_a_clean_open_shows_the_last_saved_state(tmp_path, desk):
    path = tmp_path / "p.newsdedup"
    saved = rescan(path, [desk])
    with Workspace.open(path) as ws:
        ws.add_decision(RenameEvent(saved.events[0].story_ids[0], "Kept through the crash"))
        ws.add_folders([tmp_path / "more"])
    _articles(tmp_path / "more", 300)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "killing" in proc.stdout and "finished" not in proc.stdout
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 100_000, "the killed save had written into the WAL"
    with Workspace.open(path) as ws:
        loaded = ws.load()
        assert csv_text(CLUSTER_COLUMNS, cluster_rows(loaded)) == csv_text(CLUSTER_COLUMNS, cluster_rows(saved))
        assert [type(d) for d in ws.decisions()] == [RenameEvent]
        assert ws.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = RescanCounts()
    result = rescan(path, counts=counts)
    assert counts.added == 300 and counts.documents_reused == len(saved.documents)
    assert len(result.documents) == len(saved.documents) + 300
    assert "Kept through the crash" in {e.label for e in result.events}
