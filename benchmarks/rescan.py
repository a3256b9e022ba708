"""A workspace rescan after a few edits, against the first scan and a fresh scan of the edited folder.

    python benchmarks/rescan.py --data ../shared/eval                   # 5,000 files, 1% changed (mixed)
    python benchmarks/rescan.py --data ../shared/eval --kind text       # 50 files' text edited
    python benchmarks/rescan.py --data ../shared/eval --files 2000 --edited 0.05

Writes ``--files`` article files from the shared sets (pac_train, ecbplus, wikiref, bbc_fulltext, then
Reuters up to the count) with the shared tool ``articles_to_files.py`` (``--writer``, by default beside the
eval folder in ``../tools``) into a temporary folder, then, each step in a child process of its own:

1. the first scan into a new workspace;
2. ``--edited`` of the files changed as ``--kind`` says, evenly spread over the sets: text edited (a
   correction line added at the end), files added (held back from the first scan), files removed, or
   ``mixed`` (a third of each); then the workspace rescanned: its seconds against the first scan's (the
   figure: at most 15%);
3. a fresh scan of the edited folder into another new workspace.

Then the rescan's result against the fresh scan's: duplicate groups (the same sets of stories), and events
(B-cubed F1 between the two partitions of the stories, and how many events are the same sets of stories).
The machine is shared: read the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

SETS = [("pac_train", 0), ("ecbplus", 0), ("wikiref", 0), ("bbc_fulltext", 0), ("reuters21578", -1)]


def write_files(data: Path, writer: Path, folder: Path, total: int) -> int:
    """The sets' articles as files under ``folder``, ``total`` of them (the last set fills up)."""
    written = 0
    for name, limit in SETS:
        source = sorted((data / name).glob("*.jsonl"))[0]
        want = total - written if limit < 0 else limit
        if want <= 0 and limit < 0:
            break
        args = [sys.executable, str(writer), str(source), str(folder / name)] + (["--limit", str(want)] if want else [])
        subprocess.run(args, check=True, capture_output=True)
        written = sum(1 for f in folder.rglob("*") if f.is_file())
        if written >= total:
            break
    return written


def spread(files: list[Path], count: int, offset: int = 0) -> list[Path]:
    """``count`` of ``files``, evenly spread (so every set gets its share), starting ``offset`` in."""
    step = max(1, len(files) // max(count, 1))
    return files[offset % step::step][:count]


def edit_files(folder: Path, count: int) -> int:
    """``count`` .txt files edited as a user edits one: a correction line added at the end."""
    edited = spread(sorted(folder.rglob("*.txt")), count)
    for f in edited:
        with open(f, "a", encoding="utf-8") as fh:
            fh.write("\nCorrection: an earlier version of this story misstated a figure.\n")
    return len(edited)


def hold_back(folder: Path, held: Path, count: int) -> list[tuple[Path, Path]]:
    """``count`` files moved out of ``folder`` before the first scan, to be added before the rescan."""
    moves = [(f, held / f.relative_to(folder)) for f in spread(sorted(folder.rglob("*.txt")), count, 1)]
    for src, dst in moves:
        dst.parent.mkdir(parents=True, exist_ok=True)
        src.rename(dst)
    return moves


def change_files(folder: Path, kind: str, count: int, held: list[tuple[Path, Path]]) -> str:
    """The edits of ``kind`` (text, added, removed or mixed: a third of each), and what was done."""
    each = {"text": (count, 0, 0), "added": (0, count, 0), "removed": (0, 0, count),
            "mixed": (count - 2 * (count // 3), count // 3, count // 3)}[kind]
    edited = edit_files(folder, each[0]) if each[0] else 0
    for back, out in held[:each[1]]:
        out.rename(back)
    removed = spread(sorted(folder.rglob("*.txt")), each[2], 2)
    for f in removed:
        f.unlink()
    return f"{edited} files edited, {each[1]} added, {len(removed)} removed"


def child(workspace: str, folder: str) -> None:
    """One scan or rescan in this process: prints a JSON line with its seconds and the events stage's."""
    import logging

    from newsdedup.workspace.rescan import RescanCounts, rescan

    logging.basicConfig(level=logging.INFO, format="  %(message)s")  # what the rescan reused and redid

    counts = RescanCounts()
    marks: dict[str, float] = {}
    start = time.perf_counter()

    def on_progress(item) -> None:
        marks.setdefault(item.stage, time.perf_counter())
        marks["last:" + item.stage] = time.perf_counter()

    result = rescan(workspace, [Path(folder)] if folder else [], counts=counts, on_progress=on_progress)
    seconds = time.perf_counter() - start
    events = marks.get("last:events", start) - marks.get("events", start)
    print(json.dumps({"seconds": seconds, "events_seconds": events, "stories": len(result.stories),
                      "read": counts.documents_read, "signed": counts.stories_fingerprinted,
                      "paragraphed": counts.stories_paragraphed}))


def run(workspace: Path, folder: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(workspace), str(folder or "")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    for line in out.stderr.splitlines():
        if "grouped again" in line or "rescan:" in line:
            print(line)
    return json.loads(out.stdout.strip().splitlines()[-1])


def partition(result) -> dict[str, int]:
    return {sid: e.event_id for e in result.events for sid in e.story_ids}


def bcubed_f1(a: dict[str, int], b: dict[str, int]) -> float:
    ids = [s for s in a if s in b]
    size_a, size_b = Counter(a[s] for s in ids), Counter(b[s] for s in ids)
    cells = Counter((a[s], b[s]) for s in ids)
    p = sum(c * c / size_b[j] for (_, j), c in cells.items()) / len(ids)
    r = sum(c * c / size_a[i] for (i, _), c in cells.items()) / len(ids)
    return 2 * p * r / (p + r)


def compare(rescanned: Path, fresh: Path) -> None:
    from newsdedup.workspace.store import Workspace

    with Workspace.open(rescanned) as ws:
        a = ws.load()
    with Workspace.open(fresh) as ws:
        b = ws.load()
    groups_a = {frozenset(g.members) for g in a.groups}
    groups_b = {frozenset(g.members) for g in b.groups}
    events_a = {frozenset(e.story_ids) for e in a.events}
    events_b = {frozenset(e.story_ids) for e in b.events}
    print(f"duplicate groups: {'equal' if groups_a == groups_b else 'DIFFER'} ({len(groups_a)} and {len(groups_b)}; "
          f"{len(groups_a ^ groups_b)} not in both)")
    print(f"events: B-cubed F1 between the rescan and the fresh scan {bcubed_f1(partition(a), partition(b)):.4f}; "
          f"{len(events_a & events_b)} of {len(events_b)} events the same stories; labels the same for "
          f"{len({(frozenset(e.story_ids), e.label) for e in a.events} & {(frozenset(e.story_ids), e.label) for e in b.events})}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the eval folder (../shared/eval)")
    ap.add_argument("--writer", type=Path, help="articles_to_files.py (default: ../tools beside --data)")
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--edited", type=float, default=0.01, help="share of the files changed")
    ap.add_argument("--kind", choices=("text", "added", "removed", "mixed"), default="mixed",
                    help="what the user did to them: text edited, files added, files removed, a third of each")
    ap.add_argument("--workdir", type=Path, help="where to write (default: a temporary folder)")
    args = ap.parse_args()
    writer = args.writer or args.data.resolve().parent / "tools" / "articles_to_files.py"
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        folder = Path(tmp) / "articles"
        count = round(args.edited * args.files)
        n = write_files(args.data, writer, folder, args.files + count)
        held = hold_back(folder, Path(tmp) / "held", count)
        first = run(Path(tmp) / "first.newsdedup", folder)
        print(f"{n - count} files, {first['stories']} stories")
        print(f"first scan into a new workspace: {first['seconds']:7.1f} s (events {first['events_seconds']:.1f} s)")
        done = change_files(folder, args.kind, count, held)
        again = run(Path(tmp) / "first.newsdedup")
        print(f"rescan after {done}: {again['seconds']:7.1f} s (events {again['events_seconds']:.1f} s), "
              f"{again['seconds'] / first['seconds']:.1%} of the first scan; {again['read']} documents read, "
              f"{again['signed']} stories with a new clean text, {again['paragraphed']} with their paragraphs signed again")
        fresh = run(Path(tmp) / "fresh.newsdedup", folder)
        print(f"fresh scan of the edited folder: {fresh['seconds']:7.1f} s (events {fresh['events_seconds']:.1f} s); "
              f"the rescan took {again['seconds'] / fresh['seconds']:.1%} of it")
        compare(Path(tmp) / "first.newsdedup", Path(tmp) / "fresh.newsdedup")


if __name__ == "__main__":
    main()
