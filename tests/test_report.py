"""The HTML report an editor sends: what it holds for the sample, that nothing from an article is markup,
its size limits, the selected events only, an all-or-nothing write, and the command line's --report."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsdedup.export import ExportError
from newsdedup.pipeline import scan
from newsdedup.report.contents import ReportLimits
from newsdedup.report.html import write_report

# every element the report's own templates write; anything else came from somewhere it should not
OWN_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "section",
            "dl", "dt", "dd", "svg", "line", "text", "a", "rect", "details", "summary", "span", "strong",
            "table", "tr", "th", "td", "div"}


class Page(HTMLParser):
    """The elements, attributes and text of a page, as a browser's parser splits them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.text = "".join(self.chunks)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.chunks.append(data)

    def all(self, tag: str, cls: str | None = None) -> list[dict]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split())]


@pytest.fixture(scope="module")
def seeds_page(seeds_result, tmp_path_factory) -> tuple[Page, str]:
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(seeds_result, path, folders=["seeds"])
    html = path.read_text(encoding="utf-8")
    return Page(html), html


def test_the_sample_report_has_the_summary_the_events_in_time_order_and_the_reuse(seeds_page, seeds_result,
                                                                                 expected):
    page, _html = seeds_page
    for words in ("Folders", "seeds", "Stories", "Events", "Copy groups", "Partial reuse", "Problems"):
        assert words in page.text
    sections = page.all("details", "event")
    assert len(sections) == len(expected["events"])
    start = {f"event-{e.event_id}": e.start for e in seeds_result.events}
    assert [start[s["id"]] for s in sections] == sorted(e.start for e in seeds_result.events)
    for event in expected["events"]:  # each event's first day is written out in words
        year, month, day = (int(x) for x in event["start"].split("-"))
        assert f"{day} {dt.date(year, month, day):%b %Y}" in page.text
    assert "NATO Chief Sidesteps Question About Ukraine Joining Alliance" in page.text
    assert "partial reuse" in page.text.lower() and "side by side" in page.text
    # the timeline is a picture drawn in the page, each mark a link to its event
    marks = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#event-")]
    assert sorted(marks) == sorted(f"#{s['id']}" for s in sections)


def test_the_pair_view_marks_each_shared_passage_in_one_colour_on_both_sides(seeds_page, expected):
    page, html = seeds_page
    views = page.all("details", "pair")
    assert len(views) == 1  # the sample's one partial reuse, and no view for stories that share nothing
    anchor = views[0]["id"]
    left = {a["id"][len(anchor) + 2:]: a for a in page.all("a") if a.get("id", "").startswith(f"{anchor}-a")}
    right = {a["id"][len(anchor) + 2:]: a for a in page.all("a") if a.get("id", "").startswith(f"{anchor}-b")}
    assert len(left) >= 5 and left.keys() == right.keys()
    for k, a in left.items():
        assert a["class"].split()[0] == right[k]["class"].split()[0] == f"p{int(k) % 8}"
        assert a["href"] == f"#{anchor}-b{k}" and right[k]["href"] == f"#{anchor}-a{k}"  # a click finds its twin
    passage = expected["shared_passages"][0]
    for side in ("text_a", "text_b"):
        start = html.index(passage[side][:30])
        assert 'class="p' in html[html.rfind("<a ", 0, start):start]  # the expected passage is highlighted
    # boilerplate is greyed: the sample's known page furniture stands in a grey span
    grey = html.split('<span class="bp">')[1:]
    assert any(g.startswith("Skip to Content Facebook Feature Image") for g in grey)


HOSTILE = """Attack on the wire <script>alert('script')</script> as reported.
<style>body { display: none }</style><img src="http://tracker.example/pixel.png" onerror="alert('img')">
Read more <a href="javascript:alert('link')">here</a> and <b onmouseover="alert('hover')">there</b>.
<iframe src="https://evil.example/"></iframe> <svg onload="alert('svg')"></svg> &lt;not an entity&gt; &amp;
"""


def _hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    body = "\n\n".join(f"Paragraph {i}: the minister said the talks on the grain corridor would resume next "
                       f"week in Istanbul, officials in Kyiv and Ankara confirmed on Monday. {HOSTILE}"
                       for i in range(6))
    record = {"id": "<b>1</b>", "title": "<script>alert('title')</script> Grain talks",
              "source": "<img src=x onerror=alert('source')>", "date": "2024-03-04", "text": body}
    copy = dict(record, id="2", text=body.replace("Monday", "Tuesday"))
    with open(folder / "<img src=x onerror=alert(1)>.jsonl", "w", encoding="utf-8") as fh:
        for r in (record, copy):
            fh.write(json.dumps(r) + "\n")
    (folder / "reuse <script>.txt").write_text(f"<h1 onclick=\"alert('h1')\">Other</h1>\n\n{body}\n\nMore of "
                                               "our own words on what happened after the talks.", encoding="utf-8")
    (folder / "<script>bad<script>.txt").write_bytes(b"")  # a problem whose path is markup
    return folder


def test_nothing_from_an_article_is_ever_markup(tmp_path):
    result = scan([_hostile_folder(tmp_path)])
    assert result.relations and result.problems  # the texts reach the pair view and the problem list
    path = tmp_path / "report.html"
    write_report(result, path)
    html = path.read_text(encoding="utf-8")
    page = Page(html)
    assert {t for t, _a in page.tags} <= OWN_TAGS
    assert len(page.all("style")) == 1
    assert not page.all("script") and not page.all("img") and not page.all("iframe")
    attributes = [(name, value) for _t, attrs in page.tags for name, value in attrs.items()]
    assert not [n for n, _v in attributes if n.startswith("on")]
    assert not [n for n, _v in attributes if n in ("src", "srcset", "background", "action", "formaction")]
    hrefs = [v for n, v in attributes if n == "href"]
    assert hrefs and all(h.startswith("#") for h in hrefs)  # in-page links only: nothing fetched, nothing run
    assert "http://tracker.example" not in "".join(v or "" for _n, v in attributes)
    # and the reader sees the article's characters as they were written
    for shown in ("<script>alert('script')</script>", '<a href="javascript:alert(\'link\')">',
                  "<img src=x onerror=alert('source')>", "<script>alert('title')</script> Grain talks",
                  "&lt;not an entity&gt; &amp;", "<script>bad<script>.txt"):
        assert shown in page.text
    assert page.all("details", "pair")  # the hostile texts were laid out side by side, escaped


def test_a_large_result_is_cut_to_the_limits_with_a_note(seeds_result, tmp_path):
    report = write_report(seeds_result, tmp_path / "r.html",
                          limits=ReportLimits(pair_views=0, story_rows=4, open_below=0))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    page = Page(html)
    assert not page.all("details", "pair") and "not shown side by side" in page.text
    assert [s.listed for s in report.events] == [True, False, False]
    assert "are not listed: the report lists 4 stories at most" in page.text
    assert not any("open" in a for a in page.all("details", "event"))  # collapsed: the page opens fast


def test_selected_events_only(seeds_result, tmp_path):
    davos = next(e for e in seeds_result.events if "001_290fdad124de14e5.txt#1" in e.story_ids)
    write_report(seeds_result, tmp_path / "r.html", event_ids={davos.event_id})
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert [a["id"] for a in page.all("details", "event")] == [f"event-{davos.event_id}"]
    assert "1 (selected, of 3)" in page.text
    assert "NATO Chief Sidesteps" not in page.text


def test_a_failed_write_leaves_nothing(seeds_result, tmp_path):
    target = tmp_path / "report.html"
    target.mkdir()  # a folder stands where the file should go: the final rename fails
    with pytest.raises(ExportError):
        write_report(seeds_result, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"] and target.is_dir()
    assert not list(target.iterdir())


def test_scan_report_on_the_command_line(seeds_dir, tmp_path):
    out = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "newsdedup", "scan", str(seeds_dir), "--report", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    page = Page(out.read_text(encoding="utf-8"))
    assert "Copies, reuse and events" in page.text and page.all("details", "pair")


def test_pieces_keep_every_character_and_mark_boilerplate_and_passages():
    from newsdedup.model import BoilerplateSpan
    from newsdedup.report.marks import pieces

    text = "MENU Home News\nThe minister said the talks resume. Photo: AP\nMore text here."
    grey = (BoilerplateSpan(0, 14, "navigation"), BoilerplateSpan(text.index("Photo"), text.index("\nMore"),
                                                                 "repeated_in_document"),
            BoilerplateSpan(text.index("More"), text.index("More") + 4, "navigation", kept=True))
    passage = (text.index("minister"), text.index("resume.") + 7)
    cut = pieces(text, 5, len(text), grey, [passage, (len(text) + 5, len(text) + 9)])
    assert "".join(p.text for p in cut) == text[5:]  # nothing lost, nothing added
    assert [p.text for p in cut if p.boilerplate] == ["Home News", "Photo: AP"]  # a kept span is text again
    assert [p.text for p in cut if p.passage == 0] == ["minister said the talks resume."]
    assert [p.first for p in cut if p.passage == 0] == [True]


def test_the_timeline_draws_dated_events_on_the_axis_and_counts_too_many_undated_ones():
    import datetime as dt

    from newsdedup.model import Event
    from newsdedup.report.timeline import timeline_picture

    dated = [Event(i, f"talks {i} · city", dt.date(2024, 1, 1 + i), dt.date(2024, 1, 2 + i), ("s",) * (i + 1))
             for i in range(3)]
    undated = [Event(10 + i, f"topic {i}", None, None, ("s",) * 5) for i in range(300)]
    few = timeline_picture(dated + undated[:3], {e.event_id: "" for e in dated + undated})
    assert [m.event_id for m in few.marks] == [0, 1, 2, 10, 11, 12] and few.undated_note == ""
    xs = [m.x for m in few.marks[:3]]
    assert xs == sorted(xs) and all(m.x >= few.undated_x for m in few.marks[3:])  # by date, undated apart
    assert few.marks[2].height > few.marks[0].height  # a bigger event, a bigger mark
    many = timeline_picture(dated + undated, {e.event_id: "" for e in dated + undated})
    assert [m.event_id for m in many.marks] == [0, 1, 2] and many.undated_note == "300 undated events"


def test_a_folder_with_nothing_readable_still_makes_a_report_that_says_so(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    write_report(scan([folder]), tmp_path / "r.html")
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "No events: no story was read" in page.text and "blank.txt" in page.text
