"""Shared fixtures. Qt runs offscreen in every test: set here, before anything imports Qt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((SEEDS / ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_result():
    """The sample corpus scanned once with default settings (the scan never writes anything)."""
    from newsdedup.pipeline import scan

    return scan([SEEDS])
