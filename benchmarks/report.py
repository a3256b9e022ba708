"""The HTML report of a large folder: its size, what it costs next to the scan, and how fast a browser opens it.

    python benchmarks/report.py FOLDER [--chromium] [--runs 5]

FOLDER is a folder of articles, e.g. 2,000 BBC articles written out by the shared tools'
``articles_to_files.py --limit 2000 .../bbc_fulltext/bbc_fulltext.jsonl OUT_DIR``. The scan runs once with
default settings; then the report is built (contents: passages, rows) and rendered (Jinja2), and its time
is given as a share of the scan's, in this one invocation. With ``--chromium``, headless Chromium loads the
report and, as the baseline, an empty page, ``--runs`` times each, interleaved; the medians are printed
(Chromium's own start-up is most of each run, so the difference is what the report adds).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from newsdedup.pipeline import scan
from newsdedup.report.contents import report_contents
from newsdedup.report.html import render_report


def chromium_seconds(browser: str, page: Path, tmp: Path) -> float:
    profile = Path(tempfile.mkdtemp(dir=tmp))
    start = time.perf_counter()
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                   check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--chromium", action="store_true", help="also time headless Chromium opening it")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    t0 = time.perf_counter()
    result = scan([args.folder])
    t1 = time.perf_counter()
    report = report_contents(result)
    t2 = time.perf_counter()
    page = render_report(report)
    t3 = time.perf_counter()
    views = sum(len(e.views) for e in report.events)
    print(f"{len(result.stories):,} stories, {len(report.events):,} events, {len(result.relations):,} related "
          f"pairs, {views:,} side by side; report {len(page.encode()) / 1e6:.2f} MB")
    print(f"report / scan time: {(t3 - t1) / (t1 - t0):.3f} (contents {(t2 - t1) / (t1 - t0):.3f}, "
          f"rendering {(t3 - t2) / (t1 - t0):.3f})")
    for note in report.left_out:
        print("left out:", note)
    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if not args.chromium or browser is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        full, empty = Path(tmp) / "report.html", Path(tmp) / "empty.html"
        full.write_text(page, encoding="utf-8")
        empty.write_text("<!DOCTYPE html><title>empty</title><p>empty</p>", encoding="utf-8")
        times: dict[str, list[float]] = {"report": [], "empty page": []}
        for _ in range(args.runs):
            times["report"].append(chromium_seconds(browser, full, Path(tmp)))
            times["empty page"].append(chromium_seconds(browser, empty, Path(tmp)))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"Chromium, median of {args.runs}: report {med['report']:.2f} s, empty page {med['empty page']:.2f} s, "
          f"ratio {med['report'] / med['empty page']:.2f}, the report adds {med['report'] - med['empty page']:.2f} s")


if __name__ == "__main__":
    main()
