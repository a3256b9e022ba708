"""Screenshots of the real app, for the README: the sample articles, and a folder of a few thousand.

    python scripts/screenshots.py [--out docs/screenshots] [--articles ARTICLES.jsonl [--limit 2000]]

Runs the app under Xvfb (through xvfb-run, started here when there is no display) and saves the empty
window as it greets a new user, then scans the sample articles and saves the main window with story 000
open and the pair view of 000 and 001. With ``--articles`` (a .jsonl file of articles, one a line with
``id``, ``title``, ``text`` and optionally ``date`` and ``source``), it also writes ``--limit`` of them
as a folder of .txt and .html files in a temporary folder, the way people keep them, scans that folder
and saves, at 1366x768 (a laptop) and at 1920x1080: the timeline, the main window with a story that has
copies open (tree, timeline and story), and the pair view.

Any python can run it: without PySide6 it starts itself again with the checkout's ``.venv`` python.
The app remembers nothing between runs here: its settings go to a temporary folder.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
A = "000_8d0c082b0df052da.txt#0"
B = "001_290fdad124de14e5.txt#0"
SIZE = (1440, 900)
FOLDER_SIZES = ((1366, 768), (1920, 1080))


def _with_qt(argv: list[str]) -> None:
    """Start again with a python that has PySide6 (the checkout's venv) when this one has not."""
    try:
        import PySide6  # noqa: F401
    except ImportError:
        venv = REPO / ".venv"
        for python in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
            if python.exists() and Path(sys.prefix).resolve() != venv.resolve():  # not already in it
                os.execv(str(python), [str(python), str(Path(__file__).resolve()), *argv])
        sys.exit("screenshots: this python has no PySide6 and there is no .venv in the checkout; "
                 "set one up first: python3 -m venv .venv && .venv/bin/pip install -e .")
    sys.path.insert(0, str(REPO / "src"))  # the checkout's code, whatever is installed


def _under_xvfb(argv: list[str]) -> None:
    """Run this script again inside xvfb-run when there is no X display to draw on."""
    if os.environ.get("DISPLAY") or os.environ.get("NEWSDEDUP_UNDER_XVFB"):
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("screenshots: no display and no xvfb-run; install xvfb (apt-get install xvfb)")
    env = dict(os.environ, NEWSDEDUP_UNDER_XVFB="1", QT_QPA_PLATFORM="xcb")
    width, height = max(w for w, _h in (SIZE, *FOLDER_SIZES)), max(h for _w, h in (SIZE, *FOLDER_SIZES))
    os.execvpe("xvfb-run", ["xvfb-run", "-a", "-s", f"-screen 0 {width + 160}x{height + 100}x24",
                            sys.executable, str(Path(__file__).resolve()), *argv], env)


def write_articles(records: Path, folder: Path, limit: int, html_share: float = 0.15, seed: int = 1) -> int:
    """Articles from a .jsonl as files: .txt (title, blank line, text) and a share as simple .html pages
    with a little site furniture (navigation, a copyright line), as a saved web page has."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    with records.open(encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            if not r.get("text"):
                continue
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(r["id"]))[:80]
            title, text = r.get("title") or "", r["text"]
            if rng.random() < html_share:
                site = html.escape(r.get("source") or "News")
                meta = f'<meta property="article:published_time" content="{r["date"]}">' if r.get("date") else ""
                paras = "".join(f"<p>{html.escape(t)}</p>\n" for t in text.split("\n") if t.strip())
                page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)} - {site}"
                        f"</title>{meta}</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a> | "
                        f"<a href='/sport'>Sport</a></nav><article><h1>{html.escape(title)}</h1>\n{paras}</article>"
                        f"<footer>Copyright {site}. All rights reserved.</footer></body></html>")
                (folder / f"{name}.html").write_text(page, encoding="utf-8")
            else:
                (folder / f"{name}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
            n += 1
            if n >= limit:
                break
    return n


def _wait(app, condition, seconds: float = 900) -> None:
    import time

    from PySide6.QtCore import QEventLoop

    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            sys.exit("screenshots: the scan did not finish in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _settle(app, seconds: float = 0.5) -> None:
    """Let queued work (a lazily filled tree, repaints) finish before a picture is taken."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def _save(widget, path: Path) -> Path:
    widget.grab().save(str(path), "PNG", 0)  # 0: smallest file, still lossless
    return path


def _new_window(size: tuple[int, int]):
    from PySide6.QtWidgets import QApplication

    from newsdedup.gui import create_window

    window = create_window()
    window.resize(*size)
    window.show()
    app = QApplication.instance()
    _settle(app, 0.3)
    return window, app


def take(out: Path) -> list[Path]:
    from newsdedup.sample import sample_folder

    window, app = _new_window(SIZE)
    out.mkdir(parents=True, exist_ok=True)
    shots = [_save(window, out / "empty-window.png")]
    window.add_paths([sample_folder() or REPO / "seeds"])
    _wait(app, lambda: window.result is not None and not window.is_scanning())
    window.select("story", A)
    window.document_view.go_to_overlap(1)
    _settle(app)
    shots.append(_save(window, out / "main-window.png"))
    window.show_pair(A, B)
    window.pair_view.go_to_passage(1)
    _settle(app)
    shots.append(_save(window, out / "pair-view.png"))
    window.close()
    return shots


def _a_pair(result) -> tuple[str, str]:
    """The pair an editor would open first: a story built on another, else the largest copy group's."""
    reuse = [r for r in result.relations if r.kind == "partial_reuse"]
    if reuse:
        best = max(reuse, key=lambda r: r.shared_words)
        return best.story_a, best.story_b
    group = max(result.groups, key=lambda g: len(g.members))
    return group.members[0], group.members[-1]


def take_folder(out: Path, folder: Path) -> list[Path]:
    shots = []
    for size in FOLDER_SIZES:
        window, app = _new_window(size)
        window.add_paths([folder])
        _wait(app, lambda w=window: w.result is not None and not w.is_scanning())
        _settle(app, 1.0)
        name = f"folder-{size[0]}x{size[1]}"
        shots.append(_save(window.timeline, out / f"{name}-timeline.png"))
        a, b = _a_pair(window.result)
        window.select("story", a)
        window.document_view.go_to_overlap(0)
        _settle(app)
        shots.append(_save(window, out / f"{name}-story.png"))
        window.show_pair(a, b)
        window.pair_view.go_to_passage(0)
        _settle(app)
        shots.append(_save(window, out / f"{name}-pair.png"))
        window.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="Save screenshots of the app on the sample articles.")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--articles", type=Path, help="a .jsonl of articles to write out as a folder and scan")
    parser.add_argument("--limit", type=int, default=2000, help="how many of --articles (default 2000)")
    parser.add_argument("--only-folder", action="store_true", help="skip the sample's screenshots")
    args = parser.parse_args(argv)
    _with_qt(argv)
    _under_xvfb(argv)
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    shots = [] if args.only_folder else take(args.out)
    if args.articles is not None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / args.articles.stem  # files without an outlet show the folder's name
            print(f"{write_articles(args.articles, folder, args.limit)} articles written to a temporary folder")
            shots += take_folder(args.out, folder)
    for shot in shots:
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
