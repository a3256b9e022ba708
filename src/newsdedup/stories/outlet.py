"""The outlet of a story whose file does not name one, from the story's own text and page furniture.

A record's source field, a page's site name or a message's sender name the outlet (``metadata``). A page
without one may still name it in its furniture: the site name after the headline in its title, or the
holder of the copyright line in its footer (found when the page is read, see ``ingest.formats``; ``text``).
A plain text file names it only in its words: the agency in its dateline ("BRUSSELS (AP) —", "LONDON
(Reuters) -", "Brussels, December 2 (European Press) –"), a credit line only the outlet writes
("(Reporting by ...; Editing by ...)", the Reuters sign-off; "The Associated Press contributed to this
report" names a contributor, not the outlet), or a copyright line ("© 2024 The Guardian", "Copyright 2013
Reuters"). Found there, the outlet is ``text``; else the folder's name stands in (``folder``), as before.
"""

from __future__ import annotations

import re

from newsdedup.model import SourceProvenance
from newsdedup.outlets import AGENCIES, copyright_holder, known_agency

_AGENCY = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))
_DATELINE_AGENCY = re.compile(rf"\((?P<name>{_AGENCY})\)", re.IGNORECASE)
# any name in brackets that a dateline puts before its dash: "Brussels, December 2 (European Press) –"
_DATELINE_CREDIT = re.compile(r"\((?P<name>[A-Z][\w&.'’-]*(?:[ \t]+[A-Z][\w&.'’-]*){0,3})\)\s*[-–—]?\s*$")
_NOT_CREDITS = {"updated", "update", "video", "photo", "photos", "live", "opinion", "analysis", "watch"}
# a credit line that only Reuters writes; "The Associated Press contributed to this report" names a
# contributor, not the outlet, and is no evidence
_CREDIT = re.compile(r"\((?:Reporting|Writing) by [^)]{3,200}\)|^[ \t]*Reuters?[ \t]*$", re.IGNORECASE | re.M)


def outlet_in_text(text: str, dateline: str = "") -> str:
    """The outlet the story names as its own: a dateline's agency, a credit line, a copyright line; or ""."""
    m = _DATELINE_AGENCY.search(dateline) or _DATELINE_CREDIT.search(dateline)
    if m and m.group("name").split()[0].lower() not in _NOT_CREDITS:
        return known_agency(m.group("name"))
    if _CREDIT.search(text):
        return "Reuters"  # "(Reporting by ...; Editing by ...)" and the "Reuter" sign-off are Reuters' own
    return copyright_holder(text)


def story_outlet(doc_source: str, doc_provenance: SourceProvenance, text: str, dateline: str
                 ) -> tuple[str, SourceProvenance]:
    """The story's outlet and where it came from: the file's own field wins, then the story's text, then
    the page's furniture, then the folder's name."""
    if doc_provenance == SourceProvenance.METADATA:
        return doc_source, doc_provenance
    found = outlet_in_text(text, dateline)
    if found:
        return found, SourceProvenance.TEXT
    # a folder named for an agency ("reuters", "bbc") is written as its stories write it ("Reuters", "BBC"),
    # so one outlet is not two in the source column
    return known_agency(doc_source), doc_provenance
