"""Screenshots of the real app on the sample articles, for the README.

    python scripts/screenshots.py [--out docs/screenshots]

Runs the app under Xvfb (through xvfb-run, started here when there is no display) and saves the empty
window as it greets a new user, then scans the sample articles and saves the main window with story 000
open and the pair view of 000 and 001. The app
remembers nothing between runs here: its settings go to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
A = "000_8d0c082b0df052da.txt#0"
B = "001_290fdad124de14e5.txt#0"
SIZE = (1440, 900)


def _under_xvfb(argv: list[str]) -> None:
    """Run this script again inside xvfb-run when there is no X display to draw on."""
    if os.environ.get("DISPLAY") or os.environ.get("NEWSDEDUP_UNDER_XVFB"):
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("screenshots: no display and no xvfb-run; install xvfb (apt-get install xvfb)")
    env = dict(os.environ, NEWSDEDUP_UNDER_XVFB="1", QT_QPA_PLATFORM="xcb")
    os.execvpe("xvfb-run", ["xvfb-run", "-a", "-s", f"-screen 0 {SIZE[0] + 160}x{SIZE[1] + 100}x24",
                            sys.executable, str(Path(__file__).resolve()), *argv], env)


def _wait(app, condition, seconds: float = 120) -> None:
    import time

    from PySide6.QtCore import QEventLoop

    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            sys.exit("screenshots: the scan did not finish in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def take(out: Path) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from newsdedup.gui import create_window
    from newsdedup.sample import sample_folder

    window = create_window()
    app = QApplication.instance()
    window.resize(*SIZE)
    window.show()
    out.mkdir(parents=True, exist_ok=True)
    shots = [out / "empty-window.png", out / "main-window.png", out / "pair-view.png"]
    app.processEvents()
    window.grab().save(str(shots[0]), "PNG", 0)  # 0: smallest file, still lossless
    window.add_paths([sample_folder() or REPO / "seeds"])
    _wait(app, lambda: window.result is not None and not window.is_scanning())
    window.select("story", A)
    window.document_view.go_to_overlap(1)
    _wait(app, lambda: True)
    app.processEvents()
    window.grab().save(str(shots[1]), "PNG", 0)
    window.show_pair(A, B)
    window.pair_view.go_to_passage(1)
    app.processEvents()
    window.grab().save(str(shots[2]), "PNG", 0)
    window.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="Save screenshots of the app on the sample articles.")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="folder for the PNGs")
    args = parser.parse_args(argv)
    _under_xvfb(argv)
    for shot in take(args.out):
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
