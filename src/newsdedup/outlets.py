"""Names of outlets as articles and pages write them: the agencies of datelines and credits, the holder of a
copyright line, the site name a page puts after its headline. Shared by reading (a page's furniture, in
``ingest``) and by stories (their own text, in ``stories.outlet``); plain text rules, no other module.
"""

from __future__ import annotations

import re

# agencies as datelines and credits write them, and the name a reader knows them by
AGENCIES = {"ap": "AP", "associated press": "AP", "the associated press": "AP", "reuters": "Reuters",
            "reuter": "Reuters", "afp": "AFP", "agence france-presse": "AFP", "upi": "UPI", "dpa": "dpa",
            "ansa": "ANSA", "efe": "EFE", "pti": "PTI", "xinhua": "Xinhua", "bloomberg": "Bloomberg",
            "cnn": "CNN", "bbc": "BBC", "tass": "TASS", "kyodo": "Kyodo", "yonhap": "Yonhap", "ians": "IANS"}

_NAME = r"(?:The\s+)?[A-Z][\w&.'’-]*(?:[ \t]+(?:&|of|[A-Z][\w&.'’-]*)){0,5}"
# the word "copyright" counts where a copyright line starts with it, or before its sign or year: "the U.S.
# Copyright Office" in a sentence names no outlet
_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|^[ \t]*(?i:copyright)\b|\b(?i:copyright)(?=\s*(?:©|\d{4})))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
                        rf"(?P<name>{_NAME})", re.M)
# words that hold a copyright line together, or that a template writes where a site's name would go: a
# name of only these names nobody ("Copyright News. All rights reserved.")
_NOT_NAMES = {"all", "rights", "reserved", "copyright", "the", "news", "site", "website", "home", "page",
              "inc", "ltd", "llc", "&", "of", "and", "by"}
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|:·•]\s+")


def known_agency(name: str) -> str:
    """The name a reader knows an agency by ("Reuters" for "reuter"), else ``name`` as it is."""
    return AGENCIES.get(name.strip().lower(), name)


def copyright_holder(text: str) -> str:
    """The outlet a copyright line names ("© 2016 The Washington Post", "Copyright 2013 Reuters"), or ""."""
    for m in _COPYRIGHT.finditer(text):
        name = _outlet_name(m.group("name"))
        if name:
            return name
    return ""


def title_site(page_title: str, headline: str) -> str:
    """The site name a page's title adds after its headline ("Dollar gains - BBC News"), or "": the title
    must be the headline, a separator and a name, so a headline with a dash in it is not taken apart."""
    page_title, headline = " ".join(page_title.split()), " ".join(headline.split())
    if not headline or not page_title.startswith(headline) or len(page_title) == len(headline):
        return ""
    rest = page_title[len(headline):]
    m = _TITLE_SEPARATOR.match(rest)
    if not m:
        return ""
    name = rest[m.end():].strip()
    return _outlet_name(name) if re.fullmatch(_NAME, name) else ""


def _outlet_name(name: str) -> str:
    """``name`` without the words of a copyright line around it, in the form readers know; "" when nothing
    but such words (or a template's "News") is left."""
    words = [w for w in name.strip(" .,").split() if w.lower() not in {"all", "rights", "reserved", "copyright"}]
    while words and words[-1].lower() in {"the", "&", "of", "and", "by"}:
        words.pop()
    if not words or all(w.lower().strip(".,") in _NOT_NAMES for w in words):
        return ""
    return known_agency(" ".join(words).strip(" .,"))
