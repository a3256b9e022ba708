"""The desktop app. The only package that imports PySide6."""

from __future__ import annotations


def create_window(paths=(), settings=None):
    """Build the main window (without entering the event loop) and start scanning ``paths``."""
    from newsdedup.gui.app import create_window as _create

    return _create(paths, settings)


__all__ = ["create_window"]
