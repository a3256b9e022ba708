"""kill -9 soak: a workspace killed at random moments of first scans, rescans and decision saves, then checked.

    python benchmarks/kill_soak.py [--kills 30] [--files 300] [--seed 1] [--src SRC]

Each round picks one of three jobs and runs it in a child process, killed with SIGKILL (no cleanup of any
kind) at a moment drawn uniformly from 2% to 98% of how long that job takes unkilled (measured once per
job at the start, in the same invocation):
- scan: the first scan of the folder into a new workspace file;
- rescan: a rescan of the soak workspace after a few files were added, edited and removed;
- decisions: one decision after another saved into the soak workspace (each its own transaction); the child
  prints each one once it is saved.
After each kill the workspace is opened and checked: ``PRAGMA integrity_check``; it opens (a new file
killed before its first save may be refused with a one-line message, which is counted, and is never
half a workspace); the loaded result is the state before the job or the state after it, never a mix; every
decision the child reported saved is there; a rescan then runs to the end. Figures: rounds per job, kills
that landed while the job ran, corrupt files, mixed states, decisions lost, failed rescans afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"  # --src: another source tree
WORDS = ("council minister harbour strike budget vote court river storm school hospital bridge election rail "
         "police market festival museum airport farmers").split()

# Each child says "ready" once its imports are done: kill moments are drawn over the work, not the imports.
_READY = "import sys, newsdedup.pipeline; from newsdedup.workspace.rescan import rescan; print('ready', flush=True)\n"
CHILD = {
    "scan": _READY + "rescan(sys.argv[1], [sys.argv[2]])",
    "rescan": _READY + "rescan(sys.argv[1])",
    "decisions": _READY + textwrap.dedent("""
        from newsdedup.corrections.decisions import RenameEvent
        from newsdedup.workspace.store import Workspace
        with Workspace.open(sys.argv[1]) as ws:
            story = ws.load().events[0].story_ids[0]
            for k in range(400):
                ws.add_decision(RenameEvent(story, f"{sys.argv[3]}-{k}"))
                print(k, flush=True)
    """),
}


def article(i: int, rng: random.Random) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(300))
    return f"Report number {i}\n\n{body}.\n"


def child(job: str, ws: Path, folder: Path, tag: str = "") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD[job], str(ws), str(folder), tag], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(SRC)))


def state(ws: Path) -> tuple[str, str, list[str]]:
    """("ok", csv, decision labels) or ("refused", message, []) or ("corrupt", why, [])."""
    import sqlite3

    from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text
    from newsdedup.workspace.store import Workspace, WorkspaceError

    try:
        conn = sqlite3.connect(ws)
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
        if ok != "ok":
            return "corrupt", ok, []
        with Workspace.open(ws) as w:
            result = w.load()
            labels = [d.label for d in w.decisions() if hasattr(d, "label")]
        return "ok", csv_text(CLUSTER_COLUMNS, cluster_rows(result)) if result else "", labels
    except WorkspaceError as exc:
        return "refused", str(exc), []
    except sqlite3.DatabaseError as exc:
        return "corrupt", str(exc), []


def change_files(folder: Path, rng: random.Random, round_no: int) -> None:
    files = sorted(folder.glob("*.txt"))
    for f in rng.sample(files, 3):
        f.write_text(article(round_no * 1000 + rng.randrange(1000), rng))
    rng.choice(files).unlink()
    for k in range(3):
        (folder / f"new{round_no}_{k}.txt").write_text(article(round_no * 10 + k, rng))


def finish(job: str, ws: Path, folder: Path, tag: str = "") -> float:
    """Run ``job`` to its end; the seconds from "ready" to the end."""
    proc = child(job, ws, folder, tag)
    proc.stdout.readline()
    start = time.perf_counter()
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{job} failed unkilled: {err}")
    return time.perf_counter() - start


def main() -> None:
    global SRC
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--src", type=Path, default=SRC)
    args = parser.parse_args()
    SRC = args.src.resolve()
    sys.path.insert(0, str(SRC))
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="kill-soak-"))
    folder = tmp / "articles"
    folder.mkdir()
    for i in range(args.files):
        (folder / f"item{i:04d}.txt").write_text(article(i, rng))
    ws = tmp / "soak.newsdedup"
    took = {"scan": finish("scan", ws, folder)}
    took["rescan"] = (change_files(folder, rng, 0), finish("rescan", ws, folder))[1]
    took["decisions"] = finish("decisions", ws, folder, "calibrate")
    print("unkilled seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in took.items()), flush=True)
    figures: Counter = Counter()
    for round_no in range(1, args.kills + 1):
        job = rng.choice(list(CHILD))
        target = tmp / "fresh.newsdedup" if job == "scan" else ws
        if job == "scan":
            for p in tmp.glob("fresh.newsdedup*"):
                p.unlink()
        if job == "rescan":
            change_files(folder, rng, round_no)
        before = state(target) if job != "scan" else ("ok", "", [])
        tag = f"r{round_no}"
        proc = child(job, target, folder, tag)
        proc.stdout.readline()  # "ready"
        time.sleep(rng.uniform(0.02, 0.98) * took[job])
        landed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        figures[f"{job} rounds"] += 1
        figures["kills landed while the job ran"] += landed
        if not target.exists():
            figures["new files not yet made when killed"] += 1
            continue
        kind, what, labels = state(target)
        if kind == "corrupt":
            figures["corrupt files"] += 1
            print(f"round {round_no} {job}: CORRUPT {what}", flush=True)
            continue
        if kind == "refused":
            figures["new files refused at open (one-line message)"] += 1
            if job != "scan":
                figures["existing workspaces refused after a kill"] += 1
                print(f"round {round_no} {job}: refused {what}", flush=True)
            continue
        saved = [int(x) for x in out.split()]
        if job == "decisions":
            mine = [lb for lb in labels if lb.startswith(tag + "-")]
            figures["decisions reported saved"] += len(saved)
            figures["decisions lost"] += len(set(f"{tag}-{k}" for k in saved) - set(mine))
            figures["decisions kept out of order"] += mine != [f"{tag}-{k}" for k in range(len(mine))]
        finish("scan" if job == "scan" else "rescan", target, folder)
        after = state(target)
        if job != "decisions" and what not in (before[1], after[1]):
            figures["mixed states (neither before nor after)"] += 1
            print(f"round {round_no} {job}: mixed state", flush=True)
        figures["rescans to the end after the kill"] += 1
    shutil.rmtree(tmp, ignore_errors=True)
    for key in ("scan rounds", "rescan rounds", "decisions rounds", "kills landed while the job ran",
                "corrupt files", "existing workspaces refused after a kill", "mixed states (neither before nor after)",
                "decisions reported saved", "decisions lost", "decisions kept out of order",
                "new files not yet made when killed", "new files refused at open (one-line message)",
                "rescans to the end after the kill"):
        print(f"{key:48} {figures[key]}")


if __name__ == "__main__":
    main()
