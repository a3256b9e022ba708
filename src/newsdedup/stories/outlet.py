"""The outlet of a story whose file does not name one, from the story's own text and page furniture.

A record's source field, a page's site name or a message's sender name the outlet (``metadata``). A plain
text file names it only in its words: the agency in its dateline ("BRUSSELS (AP) —", "LONDON (Reuters) -"),
a credit line only the outlet writes ("(Reporting by ...; Editing by ...)", the Reuters sign-off; "The
Associated Press contributed to this report" names a contributor, not the outlet), or a copyright line ("© 2024 The Guardian", "Copyright 2013 Reuters"). Found there,
the outlet is ``text``; else the folder's name stands in (``folder``), as before.
"""

from __future__ import annotations

import re

from newsdedup.model import SourceProvenance

# agencies as datelines and credits write them, and the name a reader knows them by
AGENCIES = {"ap": "AP", "associated press": "AP", "the associated press": "AP", "reuters": "Reuters",
            "reuter": "Reuters", "afp": "AFP", "agence france-presse": "AFP", "upi": "UPI", "dpa": "dpa",
            "ansa": "ANSA", "efe": "EFE", "pti": "PTI", "xinhua": "Xinhua", "bloomberg": "Bloomberg",
            "cnn": "CNN", "bbc": "BBC", "tass": "TASS", "kyodo": "Kyodo", "yonhap": "Yonhap", "ians": "IANS"}
_AGENCY = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))
_DATELINE_AGENCY = re.compile(rf"\((?P<name>{_AGENCY})\)", re.IGNORECASE)
# a credit line that only Reuters writes; "The Associated Press contributed to this report" names a
# contributor, not the outlet, and is no evidence
_CREDIT = re.compile(r"\((?:Reporting|Writing) by [^)]{3,200}\)|^Reuters?\s*$", re.IGNORECASE | re.M)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
                        r"(?P<name>(?:The\s+)?[A-Z][\w&.'’-]*(?:[ \t]+(?:&|[A-Z][\w&.'’-]*)){0,5})", re.M)
_NOT_NAMES = {"all", "rights", "reserved", "copyright"}


def outlet_in_text(text: str, dateline: str = "") -> str:
    """The outlet the story names as its own: a dateline's agency, a credit line, a copyright line; or ""."""
    m = _DATELINE_AGENCY.search(dateline)
    if m:
        return AGENCIES[m.group("name").lower()]
    if _CREDIT.search(text):
        return "Reuters"  # "(Reporting by ...; Editing by ...)" and the "Reuter" sign-off are Reuters' own
    for m in _COPYRIGHT.finditer(text):
        name = m.group("name").strip(" .,")
        words = [w for w in name.split() if w.lower() not in _NOT_NAMES]
        if words:
            name = " ".join(words)
            return AGENCIES.get(name.lower(), name)
    return ""


def story_outlet(doc_source: str, doc_provenance: SourceProvenance, text: str, dateline: str
                 ) -> tuple[str, SourceProvenance]:
    """The story's outlet and where it came from: the file's own field wins, then the story's text,
    then the folder's name."""
    if doc_provenance == SourceProvenance.METADATA:
        return doc_source, doc_provenance
    found = outlet_in_text(text, dateline)
    if found:
        return found, SourceProvenance.TEXT
    return doc_source, doc_provenance
