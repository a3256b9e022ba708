"""Shared fixtures. Qt runs offscreen in every test: set here, before anything imports Qt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests check what holds, never how fast: a busy machine (CI shares its cores) must not fail them.
settings.register_profile("newsdedup", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("newsdedup")

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


def _copy_of_wire_story(seeds: Path) -> str:
    original = (seeds / "003_b2d0903adc2ffcae.txt").read_text(encoding="utf-8")
    return original.replace("Luxembourg", "Belgium").replace("ministers agreed", "the ministers agreed")


@pytest.fixture
def desk(tmp_path) -> Path:
    """A folder on disk a workspace can scan and rescan: the sample's five files and a lightly edited
    copy of one of them (a near-duplicate pair), all of outlet "desk"."""
    folder = tmp_path / "desk"
    folder.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "copy.txt").write_text(_copy_of_wire_story(SEEDS), encoding="utf-8")
    return folder
