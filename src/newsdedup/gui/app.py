"""Starting the desktop app: ``newsdedup-gui [PATH...]`` or ``newsdedup gui [PATH...]``."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from newsdedup import __version__
from newsdedup.gui.main_window import MainWindow
from newsdedup.resources import app_icon_files


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("newsdedup")
    app.setOrganizationName("newsdedup")
    app.setApplicationDisplayName("newsdedup")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.newsdedup.NewsDedup")
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The app icon at every size the installation carries (see ``newsdedup.resources``)."""
    icon = QIcon()
    for path in app_icon_files():
        icon.addFile(str(path))
    return icon


def create_window(paths=(), settings: QSettings | None = None) -> MainWindow:
    """The main window, ready to show, scanning ``paths`` if any; the event loop is the caller's.

    ``settings`` is where the window remembers its layout, recent folders and thresholds (by default
    the user's QSettings for newsdedup).
    """
    _application()
    window = MainWindow(settings)
    # what starting made (modules, Qt's wrappers, the window) lives as long as the app: a full collection
    # walking it held the GUI thread about 100 ms each time one came round during a scan
    gc.freeze()
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
