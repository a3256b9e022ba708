"""The report as a browser shows it: headless Chromium renders the sample's report and a hostile one.

Skipped, saying why, where no Chromium is installed (``.ci/run`` installs Debian's ``chromium``). The page
is opened from a file with networking off, as a report opened from a mail attachment would be.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsdedup.pipeline import scan
from newsdedup.report.html import BOILERPLATE_BG, PASSAGE_COLOURS, write_report

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (apt-get install chromium) to "
                                                        "render the report in a real browser")


def chromium(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--force-color-profile=srgb", "--hide-scrollbars", f"--user-data-dir={profile}", *args,
               page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def colour_counts(png: Path, colours: list[str]) -> dict[str, int]:
    """How many pixels of the screenshot have each colour (within a step or two of rounding)."""
    import numpy as np
    from PySide6.QtGui import QImage  # a PNG decoder at hand; no window is opened

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    assert not image.isNull()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = pixels[:, : image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)
    counts = {}
    for colour in colours:
        want = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        counts[colour] = int((np.abs(rgb - want).max(axis=2) <= 2).sum())
    return counts


def test_chromium_shows_the_sample_report_with_its_highlights(seeds_dir, tmp_path):
    report = tmp_path / "report.html"
    write_report(scan([seeds_dir]), report, folders=["seeds"])
    dom = chromium(report, tmp_path, "--dump-dom").stdout
    for text in ("Copies, reuse and events", "Summary", "Events over time", "Events, in time order",
                 "NATO Chief Sidesteps Question About Ukraine Joining Alliance", "Partial reuse",
                 "The front is not moving eastward."):
        assert text in dom
    assert re.search(r"Partial reuse</strong> · Jaccard 0\.\d\d · \d+% of left is in right · "
                     r"\d+% of right is in left · \d+ shared passages, \d+ words", dom)
    assert "<script" not in dom
    shot = tmp_path / "report.png"
    chromium(report, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400")
    counts = colour_counts(shot, [PASSAGE_COLOURS[0], PASSAGE_COLOURS[1], BOILERPLATE_BG])
    # the shared passages are painted in their colours and the boilerplate greyed, not just named in the markup
    assert all(n > 500 for n in counts.values()), counts


def test_chromium_runs_and_fetches_nothing_from_a_hostile_article(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    attack = ('<script>document.title="PWNED"</script><img src="http://127.0.0.1:9/x.png" '
              'onerror="document.title=\'PWNED\'"><style>body{display:none}</style>')
    text = ("The minister said the grain talks would resume next week in Istanbul, officials confirmed. " * 8
            + attack)
    (folder / "a.txt").write_text(f"Grain talks resume\n\n{text}", encoding="utf-8")
    (folder / "b.txt").write_text(f"Grain talks to resume\n\n{text}\n\nOur own reporting.", encoding="utf-8")
    report = tmp_path / "report.html"
    write_report(scan([folder]), report)
    dom = chromium(report, tmp_path, "--dump-dom").stdout
    assert "<script>document" not in dom and "<img" not in dom and "PWNED</title>" not in dom
    assert "&lt;script&gt;document.title" in dom  # shown to the reader as the text it is
