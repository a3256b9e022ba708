"""Files the app carries (icons, style, the sample articles), found alike in a checkout, a wheel and the bundle.

The folders people edit are the top-level ``resources/`` and ``seeds/``. A wheel and the PyInstaller bundle
carry copies of them inside the package, as ``newsdedup/data/resources`` and ``newsdedup/data/seeds``
(setup.py's build step and packaging/newsdedup.spec put them there), where ``importlib.resources`` finds
them. A source checkout (``PYTHONPATH=src`` or an editable install) has no such copy and reads the
top-level folders themselves.

No Qt here: the GUI turns these paths into icons, e.g. ``QIcon`` with ``addFile`` per ``app_icon_files()``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

APP_ID = "io.github.newsdedup.NewsDedup"
"""The one reverse-DNS id of the .desktop file, the AppStream metainfo and the icon."""

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

_CHECKOUT = Path(__file__).resolve().parents[2]


def data_folder(name: str) -> Path | None:
    """The folder ``name`` ("resources" or "seeds") this installation carries, or None if it has none."""
    packaged = files(__package__) / "data" / name
    # A wheel installs unpacked and the bundle unpacks its data, so this is a real folder; only an import
    # from a zip file would give something else, and newsdedup is never shipped that way.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    in_checkout = _CHECKOUT / name
    if (_CHECKOUT / "pyproject.toml").is_file() and in_checkout.is_dir():
        return in_checkout
    return None


def resource_file(*parts: str) -> Path | None:
    """A file under resources/, e.g. ``resource_file("style", "app.qss")``; None if it is not there."""
    folder = data_folder("resources")
    path = folder.joinpath(*parts) if folder is not None else None
    return path if path is not None and path.is_file() else None


def app_icon_files() -> list[Path]:
    """The app icon at every size the installation has (PNGs smallest first, then the SVG master)."""
    hicolor = ("icons", "hicolor")
    found = [resource_file(*hicolor, f"{n}x{n}", "apps", f"{APP_ID}.png") for n in ICON_SIZES]
    found.append(resource_file(*hicolor, "scalable", "apps", f"{APP_ID}.svg"))
    return [p for p in found if p is not None]
