"""The whole scan at archive sizes: time, peak memory of the process tree, growth, silences, and two floors.

    python benchmarks/scale.py --data ../shared/eval --sizes 100k,400k,1m
    python benchmarks/scale.py --data ../shared/eval --sizes 100k --no-floors --workers 2

Inputs are built here, never copied into the repo: every *.jsonl set under ``--data`` once as it is, then
perturbed copies until a size is reached (records, about one story each). A copy drops and replaces a share
of each record's words (the share drawn per record from 0 to 30%, so some copies are near-duplicates of
their original and others different enough to be their own stories) and shifts its date by days, so the
copies are not all exact copies. Each set's files go into a folder named for the set (its outlet when a
record names none), in .jsonl files of 2,000 records, as an archive keeps them.

Each size is scanned (``pipeline.scan``, default settings) in a fresh process; the parent samples the RSS
of that process and all its children (the workers) and reports the peak. The child reports the scan's
wall time and, per stage, its time and the longest gap between two progress reports (the longest a
progress bar stays still; the target is 2 s). The growth exponent between two sizes is
log(t2 / t1) / log(n2 / n1).

Floors, in the same invocation:
- Reuters: the whole scan of reuters21578 against plain datasketch dedup alone on the same records
  (``text.lower().split()``, ``MinHash.update`` per 5-word shingle, ``MinHashLSH`` at 0.5 with 128
  permutations, a query per record); the target is a scan at least 5 times faster.
- each size: its scan against reading the same files, ``json.loads`` per line and ``lower().split()`` of
  each text; the target is at most 40 times that at about 200k stories.
Figures print as each part ends (the Reuters floors first), so a run cut short still says what it measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RECORDS_PER_FILE = 2000
MAX_CHANGE = 0.30


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def eval_sets(data: Path) -> list[tuple[str, list[dict]]]:
    sets = []
    for path in sorted(data.glob("*/*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            sets.append((path.parent.name, [json.loads(line) for line in fh if line.strip()]))
    return sets


def perturbed(record: dict, copy: int, rng: random.Random) -> dict:
    """A copy of ``record``: some words dropped, some replaced by others of the record, the date shifted."""
    out = dict(record)
    out["id"] = f"{record.get('id')}~{copy}"
    change = rng.uniform(0.0, MAX_CHANGE)
    text = record.get("text") or ""
    pool = text.split() or ["news"]
    lines = []
    for line in text.split("\n"):
        kept = []
        for word in line.split(" "):
            r = rng.random()
            if r < change / 2:
                continue
            kept.append(rng.choice(pool) if r < change else word)
        lines.append(" ".join(kept))
    out["text"] = "\n".join(lines)
    date = record.get("date")
    if isinstance(date, str) and date:
        try:
            day = dt.date.fromisoformat(date[:10])
            out["date"] = (day + dt.timedelta(days=3 * copy + rng.randrange(3))).isoformat()
        except ValueError:
            pass
    return out


def build(data: Path, size: int, where: Path) -> Path:
    """A folder of about ``size`` records: the sets, then perturbed copies; made once, then reused."""
    folder = where / f"size_{size}"
    if (folder / ".complete").exists():
        return folder
    sets = eval_sets(data)
    written, copy = 0, 0
    while written < size:
        rng = random.Random(copy)
        for name, records in sets:
            take = records[:size - written]
            if not take:
                break
            for part in range(0, len(take), RECORDS_PER_FILE):
                out = folder / name / f"c{copy:03d}_{part // RECORDS_PER_FILE:03d}.jsonl"
                out.parent.mkdir(parents=True, exist_ok=True)
                with open(out, "w", encoding="utf-8") as fh:
                    for rec in take[part:part + RECORDS_PER_FILE]:
                        fh.write(json.dumps(rec if copy == 0 else perturbed(rec, copy, rng)) + "\n")
            written += len(take)
        copy += 1
    (folder / ".complete").write_text(str(written))
    return folder


def child(folder: str, workers: int | None) -> None:
    """Run in a fresh process: scan ``folder``, print one JSON line of figures. Per stage: its time, the
    longest it went without a progress report, the longest its count stood still, and the scan process's
    largest RSS while in it (the workers' own memory is in the parent's tree-wide peak)."""
    import psutil

    from newsdedup.pipeline import scan

    me = psutil.Process()
    last = [time.monotonic(), time.monotonic(), None]  # last report, last change of (stage, done), its key
    stages: dict[str, list[float]] = {}

    def seen(p) -> None:
        now = time.monotonic()
        spent, silent, still, rss = stages.setdefault(p.stage, [0.0, 0.0, 0.0, 0.0])
        if (p.stage, p.done) != last[2]:
            last[1], last[2] = now, (p.stage, p.done)
        stages[p.stage] = [spent + now - last[0], max(silent, now - last[0]), max(still, now - last[1]),
                           max(rss, me.memory_info().rss / 2**30)]
        last[0] = now

    started = last[0] = last[1] = time.monotonic()
    result = scan([folder], on_progress=seen, workers=workers)
    seconds = time.monotonic() - started
    print(json.dumps({"seconds": seconds, "stories": len(result.stories), "groups": len(result.groups),
                      "events": len(result.events), "stages": stages}), flush=True)


def measured(folder: Path, workers: int | None) -> dict:
    """Scan ``folder`` in a fresh process, sampling the RSS of its whole process tree for the peak."""
    import psutil

    cmd = [sys.executable, __file__, "--child", str(folder)] + (["--workers", str(workers)] if workers else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    top = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
            peak = max(peak, sum(_rss(p) for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"scan of {folder} failed ({proc.returncode})")
    got = json.loads(out.strip().splitlines()[-1])
    got["peak_gb"] = peak / 2**30
    return got


def _rss(p) -> int:
    try:
        return p.memory_info().rss
    except Exception:
        return 0


def plain_datasketch(path: Path) -> tuple[float, int]:
    """Plain datasketch dedup of the records of ``path``: seconds, and the candidate pairs LSH returned."""
    from datasketch import MinHash, MinHashLSH

    started = time.monotonic()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            rec = json.loads(line)
            words = ((rec.get("title") or "") + "\n" + (rec.get("text") or "")).lower().split()
            m = MinHash(num_perm=128)
            for i in range(max(1, len(words) - 4)):
                m.update(" ".join(words[i:i + 5]).encode("utf-8"))
            lsh.insert(n, m)
            hashes.append(m)
    pairs = sum(len(lsh.query(m)) - 1 for m in hashes) // 2
    return time.monotonic() - started, pairs


def read_floor(folder: Path) -> tuple[float, int]:
    """Read every file, ``json.loads`` each line, ``lower().split()`` each text: seconds, words."""
    started = time.monotonic()
    count = 0
    for path in sorted(folder.rglob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                count += len((json.loads(line).get("text") or "").lower().split())
    return time.monotonic() - started, count


def report(rows: list[dict]) -> None:
    print(f"{'stories':>9} {'seconds':>8} {'peak GB':>8} {'exponent':>9}  groups / events  longest silence (stage)")
    for k, row in enumerate(rows):
        exp = ""
        if k:
            a, b = rows[k - 1], row
            exp = f"{math.log(b['seconds'] / a['seconds']) / math.log(b['stories'] / a['stories']):.2f}"
        stage, figures = max(row["stages"].items(), key=lambda kv: kv[1][1])
        print(f"{row['stories']:>9,} {row['seconds']:>8.1f} {row['peak_gb']:>8.2f} {exp:>9}  "
              f"{row['groups']:,} / {row['events']:,}  {figures[1]:.1f} s ({stage})")
    for row in rows:
        _stages(row)


def _stages(row: dict) -> None:
    print(f"  {row['stories']:,} stories, per stage: time, longest without a report, longest count standing "
          "still, scan process RSS")
    for name, figures in row["stages"].items():
        spent, silent, still = figures[:3]
        rss = f"{figures[3]:.2f} GB" if len(figures) > 3 else ""
        print(f"    {name:<28} {spent:7.1f} s  {silent:5.1f} s  {still:5.1f} s  {rss}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="the shared eval folder (one folder per set, each with a .jsonl)")
    ap.add_argument("--sizes", default="100k,400k,1m", help="comma-separated sizes in records, e.g. 100k,207k")
    ap.add_argument("--work", type=Path, help="where the inputs are built (default: a temporary folder)")
    ap.add_argument("--workers", type=int, help="worker processes of the scan (default: one per core)")
    ap.add_argument("--no-floors", action="store_true", help="skip the Reuters and read floors")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.workers)
    if args.data is None:
        ap.error("--data is required")
    work = args.work or Path(tempfile.mkdtemp(prefix="newsdedup-scale-"))
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))
    if not args.no_floors:
        reuters = next(args.data.glob("reuters*/*.jsonl"))
        plain, pairs = plain_datasketch(reuters)
        scanned = measured(reuters.parent, args.workers)
        print(f"Reuters ({scanned['stories']:,} stories): whole scan {scanned['seconds']:.1f} s, plain datasketch "
              f"dedup alone {plain:.1f} s ({pairs:,} LSH pairs): the scan is {plain / scanned['seconds']:.2f}x "
              "faster (target >= 5x)", flush=True)
        _stages(scanned)
    rows = []
    for size in sizes:
        folder = build(args.data, size, work)
        row = measured(folder, args.workers)
        rows.append(row)
        floor = ""
        if not args.no_floors:  # the read floor on the same files, right after the scan
            seconds, words = read_floor(folder)
            floor = (f"; read + json + lower().split() {seconds:.1f} s ({words:,} words): "
                     f"{row['seconds'] / seconds:.0f}x the floor (target <= 40x at ~200k)")
        print(f"[{size:,} records: {row['stories']:,} stories, {row['seconds']:.1f} s, {row['peak_gb']:.2f} GB"
              f"{floor}]", flush=True)
        report(rows)

if __name__ == "__main__":
    main()
