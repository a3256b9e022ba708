"""Workspaces, measured: a first scan against an unchanged rescan, and reopening a big workspace.

    python benchmarks/workspace.py --data ../shared/eval/reuters21578/reuters21578.jsonl \
        --data ../shared/eval/20newsgroups/20newsgroups.jsonl --data ../shared/eval/agnews_test/agnews_test.jsonl \
        --data ../shared/eval/bbc_fulltext/bbc_fulltext.jsonl --rescan-documents 20000 --reopen-documents 50000

The records of the given JSON Lines files are written as one .txt file each (title, blank line, text) into
a temporary folder, so that a rescan has files to stat, as a newsroom folder does (a .jsonl file would be
one file). Each step runs in a child process of its own, so its peak memory (ru_maxrss) is its own:

1. rescan: the first scan of ``--rescan-documents`` files into a new workspace; an unchanged rescan of
   them (the ratio is the figure); a rescan after 1% of the files were edited (for scale); reopening.
2. reopen: the first scan of ``--reopen-documents`` files into a new workspace, then opening that
   workspace to a loaded ScanResult (``Workspace.open(path).load()``), time and peak memory of each.
The machine is shared: run under the cpu lock, and read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_articles(sources: list[Path], folder: Path, n: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for source in sources:
        with open(source, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                text = (rec.get("text") or "").strip()
                if not text:
                    continue
                sub = folder / f"{written // 1000:03d}"
                sub.mkdir(exist_ok=True)
                title = (rec.get("title") or "").strip()
                (sub / f"{written:06d}.txt").write_text(f"{title}\n\n{text}\n" if title else text + "\n",
                                                        encoding="utf-8")
                written += 1
                if written >= n:
                    return written
    return written


def child(step: str, workspace: str, folder: str) -> None:
    """One measured step in this process; prints a JSON line with seconds, peak MB and counts."""
    from newsdedup.workspace.rescan import RescanCounts, rescan
    from newsdedup.workspace.store import Workspace

    counts = RescanCounts()
    start = time.perf_counter()
    if step == "scan":
        result = rescan(workspace, [Path(folder)] if folder else [], counts=counts)
    elif step == "open":
        with Workspace.open(workspace) as ws:
            result = ws.load()
    else:
        raise SystemExit(f"unknown step {step}")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "documents": len(result.documents),
                      "stories": len(result.stories), "events": len(result.events),
                      "opened": counts.files_opened, "read": counts.documents_read,
                      "reused": counts.documents_reused, "outlets": counts.outlets_redone}))


def measure(step: str, workspace: Path, folder: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", step, str(workspace), str(folder or "")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def edit_some(folder: Path, share: float) -> int:
    files = sorted(folder.rglob("*.txt"))
    step = max(1, int(1 / share))
    for f in files[::step]:
        with open(f, "a", encoding="utf-8") as fh:
            fh.write("\nCorrection: an earlier version of this story misstated a figure.\n")
    return len(files[::step])


def row(label: str, m: dict, base: dict | None = None) -> str:
    ratio = f"  {base['seconds'] / m['seconds']:7.1f}x faster" if base else ""
    return (f"{label:<34} {m['seconds']:8.2f} s  peak {m['peak_mb']:7.0f} MB  docs {m['documents']:6d}  "
            f"opened {m['opened']:6d}  read {m['read']:6d}  reused {m['reused']:6d}  outlets redone "
            f"{m['outlets']:3d}{ratio}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, action="append", required=True, help="a JSON Lines file of records")
    parser.add_argument("--rescan-documents", type=int, default=20000)
    parser.add_argument("--reopen-documents", type=int, default=50000)
    parser.add_argument("--workdir", type=Path, help="where to write the articles (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp = Path(tmp)
        if args.rescan_documents:
            n = write_articles(args.data, tmp / "rescan", args.rescan_documents)
            print(f"rescan: {n} article files")
            ws = tmp / "rescan.newsdedup"
            first = measure("scan", ws, tmp / "rescan")
            print(row("first scan into a new workspace", first))
            same = measure("scan", ws)
            print(row("unchanged rescan", same, first))
            edited = edit_some(tmp / "rescan", 0.01)
            changed = measure("scan", ws)
            print(row(f"rescan after {edited} files edited", changed, first))
            print(row("reopen to a loaded ScanResult", measure("open", ws), first))
            print(f"workspace file: {ws.stat().st_size / 2**20:.0f} MB")
        if args.reopen_documents:
            n = write_articles(args.data, tmp / "reopen", args.reopen_documents)
            print(f"reopen: {n} article files")
            ws = tmp / "reopen.newsdedup"
            first = measure("scan", ws, tmp / "reopen")
            print(row("first scan into a new workspace", first))
            opened = measure("open", ws)
            print(row("reopen to a loaded ScanResult", opened, first))
            print(f"workspace file: {ws.stat().st_size / 2**20:.0f} MB; cpus: {os.cpu_count()}")


if __name__ == "__main__":
    main()
