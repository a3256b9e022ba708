"""Starting the desktop app: ``newsdedup-gui [PATH...]`` or ``newsdedup gui [PATH...]``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from .. import __version__
from .main_window import MainWindow


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("newsdedup")
    app.setOrganizationName("newsdedup")
    app.setApplicationVersion(__version__)
    return app


def create_window(paths=()) -> MainWindow:
    """The main window, ready to show, scanning ``paths`` if any; the event loop is the caller's."""
    _application()
    window = MainWindow()
    if paths:
        window.add_paths([Path(p) for p in paths])
    return window


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    missing = [a for a in args if not Path(a).exists()]
    if missing:
        print(f"newsdedup-gui: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    app = _application()
    window = create_window(args)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
