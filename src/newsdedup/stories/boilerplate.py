"""Boilerplate: the words of a page that are not story text.

Three kinds, each span carrying its support (how often it repeats):
- ``repeated_in_document``: a paragraph that stands twice or more in one document (photo captions that a
  page repeats under each picture and again after the story);
- ``repeated_across_outlet``: a paragraph that many documents of one outlet carry while otherwise saying
  different things (a sign-off, a signature, a newsletter plug);
- ``navigation``: page furniture, short lines that are not sentences ("News", "More Images", "0:00",
  "Subscribe to our newsletter"), breadcrumbs, calls to follow, teasers and author boxes; and a mail's or
  a Usenet post's signature, the few lines below its "-- " line (RFC 3676), which its sender puts under
  every post: two posts of one sender share it without one being built on the other.
Boilerplate is left out of what dedup and event clustering compare, and shown greyed in the viewer.
"""

from __future__ import annotations

import re
from collections import defaultdict

from newsdedup.model import BoilerplateSpan, Document
from newsdedup.stories.paragraphs import Paragraph, paragraphs
from newsdedup.text import normalize

REPEATED_IN_DOCUMENT = "repeated_in_document"
REPEATED_ACROSS_OUTLET = "repeated_across_outlet"
NAVIGATION = "navigation"

BREADCRUMB_REACH = 4  # paragraphs either side of a breadcrumb where its headline may stand
MAX_FURNITURE_WORDS = 4
SENTENCE_WORDS = 6  # a short line followed by a sentence this long is a subheading, kept
_BULLET = re.compile(r"^[-•*·]\s+\w")  # a line this short, without a sentence's ending, is page furniture
_SENTENCE_END = re.compile(r"[.!?…\"”’')]\s*$")
_CALL_TO_ACTION = re.compile(
    r"^(?:follow us|follow .{0,40} on (?:twitter|facebook|x|instagram|telegram)|subscribe|sign up|"
    r"share this|click here|read more|related|recommended|most popular|similar articles|advertisement|"
    r"skip to content|for the most important news)",
    re.IGNORECASE,
)
_TEASER = re.compile(r"^\((?:video|photos?|gallery|watch|audio|live)\)", re.IGNORECASE)
# a photo credit closing a caption: "(AP Photo/Virginia Mayo)", "(Laurent Gillieron/Keystone via AP)"
_PHOTO_CREDIT = re.compile(
    r"\((?:[^()]*\b(?:photo|photograph|images?|via ap|pool)\b[^()]*|[A-Z][\w.' -]+/[A-Z][\w.' -]+)\)\s*$"
    r"|\b(?:photo|photograph|picture)\s*:\s*[^.]{0,60}$",
    re.IGNORECASE,
)
STORY_PARAGRAPH_WORDS = 12  # a repeated paragraph this long, without a photo credit, is story text once
_URL = re.compile(r"https?://\S+|www\.\S+")
_SIGNATURE = re.compile(r"^--[ \t]?$", re.MULTILINE)
SIGNATURE_LINES = 10  # a signature is short (netiquette asks for four lines); more below "--" is text
_AUTHOR_BOX = re.compile(r"^(?:author|about the author|about the writer)\s*:?\s*$", re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(normalize(text).text.split())


def _is_furniture(line: str) -> bool:
    words = line.split()
    if not words:
        return False
    key = _key(line)  # no-break spaces, curly quotes and case do not hide a call to action
    if _CALL_TO_ACTION.match(key) or _TEASER.match(key):
        return True
    if _URL.search(line) and len(words) <= 15:
        return True  # "Follow AP's coverage of the war in Ukraine at https://..."
    if _is_short_line(line):
        return True
    return not any(ch.isalpha() for ch in line)  # "0", "0:00", "– –"


def _is_short_line(line: str) -> bool:
    return len(line.split()) <= MAX_FURNITURE_WORDS and not _SENTENCE_END.search(line)


def _is_sentence(line: str) -> bool:
    return (len(line.split()) >= SENTENCE_WORDS and bool(_SENTENCE_END.search(line))
            and not _PHOTO_CREDIT.search(line))


def _is_story_short_line(text: str, paras: list[Paragraph], keys: list[str], i: int) -> bool:
    """A short line that belongs to the story: its headline (the first line, if it has a few words), an
    item of a bulleted list, or a subheading (a sentence follows it and no other short line precedes
    it: menus and link lists come in runs of short lines)."""
    line = text[paras[i].start:paras[i].end]
    if _CALL_TO_ACTION.match(keys[i]) or _TEASER.match(keys[i]):
        return False
    if i == 0:
        return sum(1 for w in line.split() if any(ch.isalpha() for ch in w)) >= 3
    if _BULLET.match(line):
        return True
    if i + 1 >= len(paras) or not any(ch.isalpha() for ch in line):
        return False
    before, after = paras[i - 1], paras[i + 1]
    return _is_sentence(text[after.start:after.end]) and not _is_short_line(text[before.start:before.end])


def document_boilerplate(doc: Document, start: int = 0, end: int | None = None) -> list[BoilerplateSpan]:
    """Boilerplate found in one document alone (repeats inside it and page furniture)."""
    text = doc.text
    paras = paragraphs(text, start, end)
    spans: dict[tuple[int, int], BoilerplateSpan] = {}
    by_key: dict[str, list[Paragraph]] = defaultdict(list)
    keys = [_key(text[p.start:p.end]) for p in paras]
    for p, key in zip(paras, keys):
        by_key[key].append(p)
    for i, p in enumerate(paras):
        line = text[p.start:p.end]
        furniture = _is_furniture(line) and not (_is_short_line(line)
                                                 and _is_story_short_line(text, paras, keys, i))
        if furniture or _is_breadcrumb(line, text, paras, keys, i):
            spans[(p.start, p.end)] = BoilerplateSpan(p.start, p.end, NAVIGATION, 1)
    headline = next((p for p in paras if (p.start, p.end) not in spans), None)
    headline_key = _key(text[headline.start:headline.end]) if headline else ""
    for key, group in by_key.items():
        if len(group) < 2 or not key:
            continue
        # A headline repeated below itself: the first is the headline, the repeats are furniture. So
        # is a story paragraph a page prints twice (a teaser, a second copy of the body); a caption
        # is furniture every time it stands.
        first_is_story = key == headline_key or _is_story_paragraph(text[group[0].start:group[0].end])
        members = group[1:] if first_is_story else group
        for p in members:
            spans[(p.start, p.end)] = BoilerplateSpan(p.start, p.end, REPEATED_IN_DOCUMENT, len(group))
    for p in _author_box(text, paras):
        spans.setdefault((p.start, p.end), BoilerplateSpan(p.start, p.end, NAVIGATION, 1))
    return _with_signature(list(spans.values()), text, start, len(text) if end is None else end)


def _with_signature(spans: list[BoilerplateSpan], text: str, start: int, end: int) -> list[BoilerplateSpan]:
    """``spans`` and the signature at the end of ``text[start:end]``, if it has one, as one span (spans it
    overlaps are merged into it)."""
    region = text[start:end]
    last = max(_SIGNATURE.finditer(region), key=lambda m: m.start(), default=None)
    lines = [] if last is None else [line for line in region[last.end():].splitlines() if line.strip()]
    if last is None or not lines or len(lines) > SIGNATURE_LINES:
        return sorted(spans, key=lambda s: s.start)
    sig_start, sig_end = start + last.start(), start + len(region.rstrip())
    overlapping = [s for s in spans if s.end > sig_start]
    sig_start = min([sig_start] + [s.start for s in overlapping])
    kept = [s for s in spans if s.end <= sig_start]
    return sorted(kept + [BoilerplateSpan(sig_start, sig_end, NAVIGATION, 1)], key=lambda s: s.start)


def _is_story_paragraph(line: str) -> bool:
    return len(line.split()) >= STORY_PARAGRAPH_WORDS and not _PHOTO_CREDIT.search(line)


def _is_breadcrumb(line: str, text: str, paras: list[Paragraph], keys: list[str], i: int) -> bool:
    """A trail of section names in front of the headline: 'Home World Live ... <headline>'.

    The headline it ends with stands within a few paragraphs of it, so only those are compared.
    """
    key = keys[i]
    for j in range(max(0, i - BREADCRUMB_REACH), min(len(paras), i + BREADCRUMB_REACH + 1)):
        other, other_key = paras[j], keys[j]
        if j == i:
            continue
        if len(other_key.split()) >= 5 and key.endswith(other_key) and key != other_key:
            prefix = line[: len(line) - len(text[other.start:other.end])].split()
            if prefix and all(w[:1].isupper() for w in prefix):
                return True
    return False


def _author_box(text: str, paras: list[Paragraph]) -> list[Paragraph]:
    """An 'Author' line near the end marks an author box: it and the short lines around it."""
    tail = paras[-6:]
    for k, p in enumerate(tail):
        if _AUTHOR_BOX.match(text[p.start:p.end]):
            box = [p]
            # the byline repeated just above it, and the one-paragraph biography just below
            box += [q for q in tail[:k] if len(text[q.start:q.end].split()) <= MAX_FURNITURE_WORDS]
            box += tail[k + 1:k + 2]
            return box
    return []
