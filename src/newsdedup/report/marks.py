"""A story's text cut into pieces for the report: each piece plain text, marked boilerplate or not and
with the shared passage it belongs to, so the template can grey and colour it as the app does.

Only offsets are worked out here; the text itself reaches the page through the template's escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdedup.model import BoilerplateSpan


@dataclass(frozen=True)
class Piece:
    text: str
    boilerplate: bool = False
    passage: int = -1  # index of the shared passage it lies in, -1 for none
    first: bool = False  # the passage's first piece (it carries the passage's anchor)


def pieces(text: str, start: int, end: int, boilerplate: tuple[BoilerplateSpan, ...] | list[BoilerplateSpan],
           passages: list[tuple[int, int]]) -> list[Piece]:
    """``text[start:end]`` cut wherever a boilerplate span or a passage (spans of ``text``) starts or ends."""
    grey = [(max(b.start, start), min(b.end, end)) for b in boilerplate if not b.kept]
    grey = [(s, e) for s, e in grey if s < e]
    marks = [(max(s, start), min(e, end), k) for k, (s, e) in enumerate(passages)]
    marks = [(s, e, k) for s, e, k in marks if s < e]
    cuts = sorted({start, end, *(x for span in grey for x in span), *(x for s, e, _k in marks for x in (s, e))})
    out: list[Piece] = []
    seen: set[int] = set()
    for s, e in zip(cuts, cuts[1:]):
        # spans are few (tens per story), so a scan of them per piece costs nothing
        is_grey = any(gs <= s and e <= ge for gs, ge in grey)
        k = next((k for ms, me, k in marks if ms <= s and e <= me), -1)
        first = k >= 0 and k not in seen
        if first:
            seen.add(k)
        out.append(Piece(text[s:e], is_grey, k, first))
    return out
