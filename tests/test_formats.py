"""HTML pages, e-mails, JSON files and the optional PDF/Word readers, on real files written to disk."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from email.message import EmailMessage

import pytest

from newsdedup.ingest.files import read_paths
from newsdedup.model import DateProvenance, FileStatus, SourceProvenance, finish
from newsdedup.pipeline import scan

LEDE = ("BRUSSELS (AP) — NATO Secretary-General Mark Rutte on Tuesday sidestepped questions about Ukraine’s "
        "possible membership in the military alliance, saying that the priority is to boost its defenses.")
QUOTE = ("“The front is not moving eastwards. It is slowly moving westwards,” Rutte told reporters as foreign "
         "ministers met in Brussels to discuss support for Kyiv.")

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>NATO chief sidesteps Ukraine question | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="og:title" content="NATO chief sidesteps Ukraine question">
<meta property="article:published_time" content="2024-12-03T10:15:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>NATO chief sidesteps Ukraine question</h1>
<p>{LEDE}</p><p>{QUOTE}</p>
<p>Ministers also discussed spending targets, with several allies calling for budgets well above two
percent of economic output by the end of the decade.</p></article></main>
<footer><p>© 2024 Harbour Times</p></footer></body></html>"""


def _read(paths):
    outcome = finish(read_paths(paths))
    return outcome


def test_html_page_gives_main_text_title_site_and_date(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    doc, = _read([tmp_path]).documents
    assert LEDE in doc.text and QUOTE in doc.text
    assert "Sport" not in doc.text and "©" not in doc.text  # navigation and footer left out
    assert doc.title == "NATO chief sidesteps Ukraine question"
    assert doc.source == "Harbour Times"
    assert doc.published == dt.date(2024, 12, 3) and doc.date_provenance == DateProvenance.METADATA


def test_html_page_without_site_name_or_date_takes_its_folder_and_stays_undated(tmp_path):
    bare = (PAGE.replace('<meta property="og:site_name" content="Harbour Times">', "")
            .replace('<meta property="article:published_time" content="2024-12-03T10:15:00Z">', "")
            .replace(" | Harbour Times", "").replace("© 2024 Harbour Times", ""))
    (tmp_path / "kyiv-independent").mkdir()
    (tmp_path / "kyiv-independent" / "page.htm").write_bytes(bare.encode("utf-8"))
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "page.htm").write_bytes(bare.replace("BRUSSELS (AP) — ", "").encode("utf-8"))
    result = scan([tmp_path])
    story, own = sorted(result.stories, key=lambda s: s.story_id, reverse=True)
    # the page names no site, but its dateline names the agency whose copy it is
    assert (story.source, story.source_provenance) == ("AP", SourceProvenance.TEXT)
    assert story.published is None and story.date_provenance == DateProvenance.NONE
    assert story.title == "NATO chief sidesteps Ukraine question"
    # without it, nothing in the page names an outlet: the folder's name stands in, and says so
    assert (own.source, own.source_provenance) == ("desk", SourceProvenance.FOLDER)


def _mail(html_only: bool = False) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "NATO chief sidesteps Ukraine question"
    msg["From"] = "Harbour Times Briefing <briefing@harbour.example>"
    msg["Date"] = "Tue, 03 Dec 2024 18:30:00 +0100"
    if html_only:
        msg.set_content(f"<html><body><article><p>{LEDE}</p><p>{QUOTE}</p></article></body></html>",
                        subtype="html")
    else:
        msg.set_content(f"{LEDE}\n\n{QUOTE}\n")
        msg.add_alternative(f"<html><body><p>{LEDE}</p></body></html>", subtype="html")
        msg.add_attachment(b"%PDF-1.4 not text", maintype="application", subtype="pdf", filename="a.pdf")
    return msg.as_bytes()


@pytest.mark.parametrize("html_only", [False, True])
def test_email_gives_its_text_subject_sender_and_date(tmp_path, html_only):
    (tmp_path / "briefing.eml").write_bytes(_mail(html_only))
    doc, = _read([tmp_path]).documents
    assert LEDE in doc.text and QUOTE in doc.text
    assert "PDF" not in doc.text  # the attachment is not the article
    assert doc.title == "NATO chief sidesteps Ukraine question"
    assert doc.source == "Harbour Times Briefing"
    assert doc.published == dt.date(2024, 12, 3) and doc.date_provenance == DateProvenance.METADATA


def test_json_file_with_one_article_or_a_list(tmp_path):
    one = {"id": "a1", "date": "2024-12-03T10:15:00Z", "source": "AP", "title": "Rutte", "text": LEDE}
    many = [{"id": "b1", "title": "One", "text": LEDE}, {"id": "b2", "title": "Two", "text": QUOTE}]
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "one.json").write_text(json.dumps(one), encoding="utf-8")
    (tmp_path / "wire" / "many.json").write_text(json.dumps(many, ensure_ascii=False), encoding="utf-8")
    docs = {d.doc_id: d for d in _read([tmp_path]).documents}
    assert set(docs) == {"wire/one.json#a1", "wire/many.json#b1", "wire/many.json#b2"}
    assert docs["wire/one.json#a1"].source == "AP"
    assert docs["wire/one.json#a1"].published == dt.date(2024, 12, 3)
    assert docs["wire/many.json#b2"].source == "wire"  # no source field: the folder it sits in
    assert docs["wire/many.json#b2"].text == QUOTE and docs["wire/many.json#b2"].title == "Two"


def test_a_dateline_gives_place_and_outlet_hints(tmp_path):
    (tmp_path / "a.txt").write_text(f"NATO chief sidesteps Ukraine question\n\n{LEDE}\n\n{QUOTE}\n")
    story, = scan([tmp_path]).stories
    assert story.dateline == "BRUSSELS (AP)"
    assert story.title == "NATO chief sidesteps Ukraine question"


@pytest.mark.parametrize("suffix, extra, module", [(".pdf", "pdf", "pypdf"), (".docx", "docx", "docx")])
def test_pdf_and_word_files_name_the_extra_they_need(tmp_path, suffix, extra, module):
    if importlib.util.find_spec(module) is not None:
        pytest.skip(f"{module} is installed here; this checks the message shown without it")
    (tmp_path / f"report{suffix}").write_bytes(b"PK\x03\x04 or %PDF: whatever it holds")
    (tmp_path / "story.txt").write_text(LEDE)
    out = _read([tmp_path])
    problem, = out.problems
    assert problem.path == f"report{suffix}"
    assert f"newsdedup[{extra}]" in problem.reason and "not installed" in problem.reason
    assert {f.path: f.status for f in out.files} == {f"report{suffix}": FileStatus.PROBLEM,
                                                      "story.txt": FileStatus.READ}


def test_a_story_without_headline_is_titled_by_its_first_sentence_without_dateline(tmp_path):
    (tmp_path / "a.txt").write_text(f"Brussels, December 2 (European Press) –\n{LEDE[16:]} More text here.\n\n{QUOTE}\n")
    story, = scan([tmp_path]).stories
    assert story.title == LEDE[16:]
    assert story.dateline.startswith("Brussels, December 2 (European Press)")


def test_markdown_heading_gives_the_title(tmp_path):
    (tmp_path / "note.md").write_text(f"# NATO chief sidesteps Ukraine question\n\n{LEDE}\n\n{QUOTE}\n")
    story, = scan([tmp_path]).stories
    assert story.title == "NATO chief sidesteps Ukraine question"
