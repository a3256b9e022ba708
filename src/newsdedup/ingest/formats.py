"""Readers for the formats beyond plain text: HTML pages, e-mails, and (when installed) PDF and Word files.

HTML main text, title and site name come from trafilatura and the page date from htmldate: maintained
extractors, never hand-written tag stripping. Nothing here fetches anything from the network.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from newsdedup.ingest.decoding import Unreadable

MAX_HTML_ELEMENTS = 20_000  # a news page has a few thousand; 150,000 took trafilatura over 5 minutes
MAX_PDF_PAGES = 2000  # text extraction costs per page; a book is a few hundred
MAX_MAIL_PARTS = 200  # a news e-mail has a handful; thousands are a structure bomb, not an article
MAX_WORD_PARAGRAPHS = 100_000  # a book has fewer; millions unpack from a few KB and take minutes and GBs
UNPACKED_FACTOR = 4  # a Word file may unpack to 4 times the size limit of one article, no more
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    source: str = ""
    published: dt.date | None = None
    site: str = ""  # the outlet the page's furniture names (see ``furniture_site``), when it has no site name


def read_html(html: str) -> Extracted:
    """Main text, title, site name and publication date of an HTML page."""
    import trafilatura
    from htmldate import find_date
    from lxml import html as lxml_html

    if not html.strip():
        raise Unreadable("empty HTML page")
    try:
        tree = lxml_html.fromstring(html)
    except Exception as exc:  # lxml raises several types for broken markup
        raise Unreadable(f"HTML could not be parsed: {exc}") from exc
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_HTML_ELEMENTS:  # main-text extraction takes about a millisecond per element
        raise Unreadable(f"HTML page too complex to read ({elements} elements; the limit is {MAX_HTML_ELEMENTS})")
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    text = getattr(extracted, "text", None) or ""
    if not text.strip():
        raise Unreadable("HTML page has no main text")
    date_str = None
    try:
        # A parsed tree, so htmldate never mistakes the input for a URL to fetch.
        date_str = find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # htmldate is best effort; a page without a date stays undated
        date_str = None
    published = dt.date.fromisoformat(date_str) if date_str else None
    title, source = getattr(extracted, "title", "") or "", getattr(extracted, "sitename", "") or ""
    if " ".join(source.split()).lower() == " ".join(title.split()).lower():
        source = ""  # trafilatura guesses a site name from the title's parts, and took the headline's
    return Extracted(text, title, source, published, "" if source else furniture_site(tree, title))


# the parts of a page around its story: where a site prints its name and its copyright line
_FURNITURE = ("//footer | //header | //*[contains(@class, 'footer') or contains(@id, 'footer') "
              "or contains(@class, 'copyright') or contains(@id, 'copyright') or contains(@class, 'masthead')]")


def furniture_site(tree, headline: str) -> str:
    """The outlet a page without a site name names in its furniture: the holder of the copyright line in
    its footer or header ("© 2016 The Washington Post"), else the name its title adds after the headline
    ("Dollar gains on Greenspan speech - BBC News"); "" if neither."""
    from newsdedup.outlets import copyright_holder, title_site

    for element in tree.xpath(_FURNITURE):
        found = copyright_holder(element.text_content())
        if found:
            return found
    return title_site(tree.findtext(".//title") or "", headline)


def read_mail(data: bytes) -> Extracted:
    """The text parts of an e-mail (.eml), with its subject, sender's name and date."""
    parts_declared = len(re.findall(rb"(?i)content-type:\s*(?:multipart/|message/rfc822)", data))
    if parts_declared > MAX_MAIL_PARTS:
        raise Unreadable(f"e-mail nested too deeply ({parts_declared} multipart parts; the limit is "
                         f"{MAX_MAIL_PARTS})")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    parts: list[str] = []
    html_parts: list[str] = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        try:
            content = part.get_content()
        except (LookupError, UnicodeDecodeError):
            continue
        if ctype == "text/plain":
            parts.append(content)
        elif ctype == "text/html":
            html_parts.append(content)
    if parts:
        text = "\n\n".join(parts)
    elif html_parts:
        text = read_html(html_parts[0]).text
    else:
        raise Unreadable("e-mail has no text part")
    published = None
    if msg["date"]:
        try:
            published = email.utils.parsedate_to_datetime(str(msg["date"])).date()
        except (TypeError, ValueError):
            published = None
    sender = email.utils.parseaddr(str(msg["from"] or ""))
    return Extracted(text, str(msg["subject"] or ""), sender[0] or sender[1], published)


def check_word_file(path: Path, max_bytes: int) -> None:
    """Unreadable if the Word file at ``path`` is a zip bomb: more unpacked bytes than ``UNPACKED_FACTOR``
    times ``max_bytes``, or more paragraphs than ``MAX_WORD_PARAGRAPHS``. Checked before python-docx
    parses it; the paragraphs are counted in a bounded stream."""
    limit = UNPACKED_FACTOR * max_bytes
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            if unpacked > limit:
                raise Unreadable(f"Word file unpacks to too much ({unpacked / 2**20:.0f} MB; the limit is "
                                 f"{limit / 2**20:.0f} MB)")
            paragraphs, tail, seen = 0, b"", 0
            with zf.open("word/document.xml") as fh:
                while block := fh.read(1 << 20):
                    seen += len(block)
                    if seen > limit:  # the sizes in the zip's directory can lie
                        raise Unreadable(f"Word file unpacks to too much (over {limit / 2**20:.0f} MB)")
                    paragraphs += len(_PARAGRAPH.findall(tail + block)) - len(_PARAGRAPH.findall(tail))
                    tail = block[-8:]
                    if paragraphs > MAX_WORD_PARAGRAPHS:
                        raise Unreadable(f"Word file holds too many paragraphs (over {MAX_WORD_PARAGRAPHS})")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise Unreadable(f"Word file could not be read: {exc}") from exc


def read_optional(path: Path, extra: str, max_bytes: int = 20 * 2**20) -> tuple[str, str]:
    """Text and title of a PDF or Word file, through the optional extra that reads it."""
    if extra == "pdf":
        try:
            from pypdf import PdfReader
        except ImportError as exc:
            raise Unreadable("PDF support is not installed: pip install 'newsdedup[pdf]'") from exc
        try:
            reader = PdfReader(str(path))
            if len(reader.pages) > MAX_PDF_PAGES:
                raise Unreadable(f"PDF has too many pages ({len(reader.pages)}; the limit is {MAX_PDF_PAGES})")
            text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
            title = (reader.metadata.title if reader.metadata else "") or ""
        except Unreadable:
            raise
        except Exception as exc:  # pypdf raises many types for damaged files
            raise Unreadable(f"PDF could not be read: {exc}") from exc
        return text, title
    try:
        import docx
    except ImportError as exc:
        raise Unreadable("Word support is not installed: pip install 'newsdedup[docx]'") from exc
    check_word_file(path, max_bytes)
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise Unreadable(f"Word file could not be read: {exc}") from exc
    text = "\n\n".join(p.text for p in document.paragraphs)
    return text, document.core_properties.title or ""
