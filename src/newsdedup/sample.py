"""Where the sample articles (the seeds) are: beside the package in a source checkout or bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def sample_folder() -> Path | None:
    """The folder of sample articles, or None when this installation has none."""
    here = Path(__file__).resolve()
    candidates = [here.parents[2] / "seeds", here.parent / "seeds"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "seeds")
    for c in candidates:
        if c.is_dir() and any(c.glob("*.txt")):
            return c
    return None
