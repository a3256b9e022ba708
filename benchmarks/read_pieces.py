"""The read stage of one big JSON Lines file: whole in one batch (as before pieces) against in pieces on every core.

    python benchmarks/read_pieces.py ../shared/eval/reuters21578/reuters21578.jsonl

Both in this invocation, one after the other, on the same file: reading, stories and the outlet pass's
paragraph signatures (``batches.read_files``), first as one batch in this process (what a scan did with one
big file), then cut into 1 MB pieces on the default workers. Prints both times, their ratio, the longest the
progress count stood still in each, and whether the two gave the same documents, file entries and stories.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsdedup import batches
from newsdedup.ingest.walk import named_files
from newsdedup.model import finish
from newsdedup.pool import Pool
from newsdedup.settings import Settings


def timed(path: Path, whole: bool, workers: int | None) -> tuple[float, float, list]:
    """Seconds, the longest the read count stood still, and the batches."""
    settings = Settings()
    found = list(named_files([path]))
    if whole:
        batches.PIECE_BYTES = 1 << 40
    last = [time.monotonic(), -1]
    still = [0.0]

    def seen(p) -> None:
        now = time.monotonic()
        if p.done != last[1]:
            still[0] = max(still[0], now - last[0])
            last[0], last[1] = now, p.done

    started = time.monotonic()
    with Pool(1 if whole else workers) as pool:
        read = finish(batches.read_files(pool, found, settings.max_file_bytes, settings.boilerplate_across), seen)
    batches.PIECE_BYTES = 1 << 20
    return time.monotonic() - started, still[0], read


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path, help="a .jsonl file of many records")
    ap.add_argument("--workers", type=int, help="worker processes for the pieces (default: one per core)")
    args = ap.parse_args()
    one, one_still, a = timed(args.path, True, None)
    print(f"whole, one batch:  {one:7.1f} s, count standing still at most {one_still:.1f} s", flush=True)
    many, many_still, b = timed(args.path, False, args.workers)
    print(f"pieces, workers:   {many:7.1f} s, count standing still at most {many_still:.1f} s", flush=True)

    def flat(read, name):
        return [x for batch in read for x in getattr(batch, name)]

    same = all(flat(a, name) == flat(b, name) for name in ("documents", "files", "problems", "stories"))
    print(f"pieces are {one / many:.2f}x the speed of one batch; same documents, entries, problems and "
          f"stories: {same}")


if __name__ == "__main__":
    main()
