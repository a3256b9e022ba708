"""A screenshot of the HTML report of the sample articles, as headless Chromium shows it, for the README.

    python scripts/report_screenshot.py [--out docs/screenshots/report.png] [--keep report.html]

Scans seeds/, writes the report (folders named as the command line would: "seeds") and has Chromium
(Debian's ``chromium``) take the picture with networking off and a throwaway profile.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZE = (1280, 1900)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots" / "report.png")
    parser.add_argument("--keep", type=Path, help="also keep the report's HTML here")
    args = parser.parse_args()
    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        sys.exit("report_screenshot: no Chromium; install it (apt-get install chromium)")
    sys.path.insert(0, str(REPO / "src"))
    from newsdedup.pipeline import scan
    from newsdedup.report.html import write_report

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        write_report(scan([REPO / "seeds"]), page, folders=["seeds"])
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--force-color-profile=srgb", "--hide-scrollbars", f"--user-data-dir={tmp}/profile",
                        f"--screenshot={args.out.resolve()}", f"--window-size={SIZE[0]},{SIZE[1]}", page.as_uri()],
                       check=True, capture_output=True, timeout=180)
        if args.keep:
            shutil.copy2(page, args.keep)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
