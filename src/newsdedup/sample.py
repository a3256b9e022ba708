"""Where the sample articles (the seeds) are: in the checkout, the installed package or the bundle."""

from __future__ import annotations

from pathlib import Path

from newsdedup.resources import data_folder


def sample_folder() -> Path | None:
    """The folder of sample articles, or None when this installation has none."""
    folder = data_folder("seeds")
    if folder is not None and any(folder.glob("*.txt")):
        return folder
    return None
