"""What a person installing newsdedup relies on: the icon at every size, the sample and icons inside a
wheel, and desktop files that the freedesktop validators accept, all under one app id."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from configparser import ConfigParser
from pathlib import Path

import pytest

from newsdedup import __version__
from newsdedup.resources import APP_ID, ICON_SIZES, app_icon_files

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_app_icon_comes_at_every_size_desktops_ask_for():
    icons = app_icon_files()
    pngs = [p for p in icons if p.suffix == ".png"]
    assert [_png_size(p) for p in pngs] == [(n, n) for n in ICON_SIZES]
    assert [p.parent.parent.name for p in pngs] == [f"{n}x{n}" for n in ICON_SIZES]
    assert icons[-1].suffix == ".svg" and "<svg" in icons[-1].read_text(encoding="utf-8")


def test_a_fresh_checkout_builds_without_re_rendering_the_icons(tmp_path):
    """The committed PNGs were rendered from the committed SVG, and a checkout that writes the SVG after
    them (any clone may) does not send the bundle build looking for rsvg-convert."""
    import hashlib

    svg = app_icon_files()[-1]
    stamp = REPO / "packaging" / "icons-rendered-from.sha256"
    assert stamp.read_text().strip() == hashlib.sha256(svg.read_bytes()).hexdigest(), \
        "the SVG changed since the PNGs were rendered: run packaging/render_icons.sh"
    copy = tmp_path / "checkout"
    shutil.copytree(REPO / "resources", copy / "resources")
    (copy / "packaging").mkdir()
    for name in ("render_icons.sh", "icons-rendered-from.sha256"):
        shutil.copy2(REPO / "packaging" / name, copy / "packaging" / name)
    copied_svg = copy / svg.relative_to(REPO)
    os.utime(copied_svg, (svg.stat().st_mtime + 60, svg.stat().st_mtime + 60))  # newer than every PNG
    bin_dir = tmp_path / "bin"  # a PATH with the shell's tools and no rsvg-convert
    bin_dir.mkdir()
    for tool in ("bash", "sha256sum", "cut", "cat", "dirname", "mkdir"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    proc = subprocess.run(["bash", str(copy / "packaging" / "render_icons.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_dir)})
    assert proc.returncode == 0, proc.stderr
    assert "rendered" not in proc.stdout


def test_one_app_id_names_the_desktop_entry_metainfo_and_icon():
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    assert entry["Desktop Entry"]["Icon"] == APP_ID
    assert entry["Desktop Entry"]["Exec"].split()[0] == "newsdedup-gui"
    meta = ET.parse(METAINFO).getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == DESKTOP.name
    assert all(p.stem == APP_ID for p in app_icon_files())


def test_the_metainfo_describes_this_release():
    meta = ET.parse(METAINFO).getroot()
    assert meta.findtext("metadata_license") == "CC0-1.0"
    newest = meta.find("releases/release")
    assert newest is not None and newest.get("version") == __version__
    shots = [img.text for img in meta.iterfind("screenshots/screenshot/image")]
    assert [s.rsplit("/", 1)[-1] for s in shots] == ["main-window.png", "pair-view.png"]


def _validator(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian/Ubuntu: desktop-file-utils, appstream)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    return path


def test_desktop_file_validate_accepts_the_desktop_entry():
    proc = subprocess.run([_validator("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error" not in proc.stdout.lower()


def test_appstreamcli_validates_the_metainfo():
    proc = subprocess.run([_validator("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _copy_project(to: Path) -> Path:
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    to.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(REPO / name, to / name)
    for name in ("src", "resources", "seeds"):
        shutil.copytree(REPO / name, to / name, ignore=skip)
    return to


def test_a_wheel_carries_the_icons_and_the_sample_and_finds_them_once_installed(tmp_path):
    project = _copy_project(tmp_path / "project")  # the build writes build/ and egg-info beside its sources
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                           str(project)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wheel = next((tmp_path / "dist").glob("newsdedup-*.whl"))
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)  # what pip install does with a pure-Python wheel's files
    names = zipfile.ZipFile(wheel).namelist()
    assert not any(n.endswith(".expected.json") for n in names)  # the golden answers stay with the tests
    probe = ("from newsdedup.sample import sample_folder; from newsdedup.resources import app_icon_files;"
             "print(sample_folder()); print(len(app_icon_files()))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True).stdout.split()
    sample = Path(out[0])
    assert sample == site / "newsdedup" / "data" / "seeds"
    assert sorted(p.name for p in sample.glob("*.txt")) == sorted(p.name for p in (REPO / "seeds").glob("*.txt"))
    assert int(out[1]) == len(ICON_SIZES) + 1
    # the HTML report's templates travel as package data: a report of the sample renders from the wheel
    probe = ("from pathlib import Path; from newsdedup.pipeline import scan; from newsdedup.sample import sample_folder;"
             "from newsdedup.report.html import write_report; write_report(scan([sample_folder()]), Path('r.html'))")
    subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert "Side by side" in (tmp_path / "r.html").read_text(encoding="utf-8")
