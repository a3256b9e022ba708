"""The report as one self-contained HTML file: rendered with Jinja2, escaped throughout, written whole.

The page needs nothing but itself: its style is inline, its timeline inline SVG, it runs no script and
fetches nothing (a Content-Security-Policy says so to the browser too, should anything slip through).
Autoescaping is on for every value, so article text, titles, outlets, paths and problem reasons reach the
page as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from newsdedup.export import write_atomic
from newsdedup.model import ScanResult
from newsdedup.report.contents import Report, ReportLimits, report_contents

# The app's colours (gui/plain_text.py; a test keeps the two the same): light backgrounds that stay
# readable under black text and distinct from one another and from the boilerplate's grey.
PASSAGE_COLOURS = ("#ffe08a", "#a8e6a1", "#9fd3ff", "#ffb3c7", "#d5b8ff", "#ffc99a", "#9ff0e0", "#e6f28f")
BOILERPLATE_FG = "#8a8a8a"
BOILERPLATE_BG = "#efefef"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("newsdedup.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["percent"] = _percent
    env.globals.update(passage_colours=PASSAGE_COLOURS, boilerplate_fg=BOILERPLATE_FG,
                       boilerplate_bg=BOILERPLATE_BG)
    return env


def render_report(report: Report) -> str:
    return _environment().get_template("report.html.j2").render(report=report)


def write_report(result: ScanResult, path: Path, folders: list[str] | None = None, event_ids=None,
                 limits: ReportLimits = ReportLimits(), now: dt.datetime | None = None) -> Report:
    """Write the report of ``result`` (or of the events ``event_ids``) to ``path``, all or nothing.

    Raises ExportError when it cannot be written; returns what it holds (for a status line)."""
    report = report_contents(result, folders, event_ids, limits, now)
    page = render_report(report)
    # a lone surrogate (text decoded with surrogateescape) has no UTF-8: it becomes "?", not a failed export
    page = page.encode("utf-8", "replace").decode("utf-8")
    write_atomic(Path(path), page)
    return report
