"""Quoted on both sides: two replies that quote one post are not built on each other.

A mail or a Usenet post marks what it quotes: each quoted line starts with ">" (or "|", ":", "]", "}"),
under a line that says whose words they are ("... writes:").
A reply and the post it quotes share text that is quoted in the reply and the post's own in the post; a
reply to a reply shares the quoted reply's own lines too. But two replies to one post (that post itself
perhaps not in the folder) share only what both quote: when nearly all the runs two stories share stand in
quoted lines in both (``QUOTED_SHARE``), neither is built on the other. Stories without quoted lines
(news) are never touched. Run only on the few pairs graded partial reuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from newsdedup.text import shingles, words

QUOTED_SHARE = 0.9
# a quoted line, or the line that says whose words follow ("In article <...> Jane Doe writes:")
_QUOTED_LINE = re.compile(r"^[ \t]*[>|:\]}]|^.*\b(?:writes|wrote|says|said)[ \t]*:[ \t]*$", re.MULTILINE)
_SHINGLE = 5


def _runs(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The text's 5-word runs, and whether each starts in a quoted line."""
    said = words(text)
    runs = shingles(said.hashes, _SHINGLE)
    starts = np.array([m.start() for m in _QUOTED_LINE.finditer(text)], dtype=np.int64)
    if len(starts) == 0 or len(runs) == 0:
        return runs, np.zeros(len(runs), dtype=bool)
    line_starts = np.array([0] + [m.end() for m in re.finditer("\n", text)], dtype=np.int64)
    line_of_word = np.searchsorted(line_starts, said.starts[:len(runs)], side="right") - 1
    quoted_lines = np.isin(line_starts, [text.rfind("\n", 0, s) + 1 for s in starts.tolist()])
    return runs, quoted_lines[line_of_word]


def quoted_in_both(pairs: np.ndarray, texts_of: Callable[[Sequence[int]], list[str]]) -> np.ndarray:
    """Which of ``pairs`` (story numbers) share text that stands quoted in both (see above)."""
    found = np.zeros(len(pairs), dtype=bool)
    if len(pairs) == 0:
        return found
    wanted = np.unique(pairs).tolist()
    texts = dict(zip(wanted, texts_of(wanted)))
    marked = {i: _runs(t) for i, t in texts.items() if _QUOTED_LINE.search(t)}
    for k, (i, j) in enumerate(pairs.tolist()):  # one step per reuse pair between two stories that quote
        if i not in marked or j not in marked:
            continue
        (runs_a, quoted_a), (runs_b, quoted_b) = marked[i], marked[j]
        both = np.intersect1d(runs_a, runs_b)
        if len(both) == 0:
            continue
        in_a = np.isin(both, runs_a[quoted_a]).mean()
        in_b = np.isin(both, runs_b[quoted_b]).mean()
        found[k] = in_a >= QUOTED_SHARE and in_b >= QUOTED_SHARE
    return found
