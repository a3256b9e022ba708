"""Bigger inputs from the shared sets: perturbed copies that a scan takes for new stories.

A copy keeps every common word (the language stays the same) and renames every rare word, the names and the
specific terms that tell one happening from another, with a suffix of its own ("Reagan" -> "Reaganvo"); its
dates move by ``SHIFT_DAYS`` per copy. So k copies hold k times the stories, events and rare names of the
original, with the common words k times as frequent, as a bigger archive of the same kind of news would;
and a copy is neither a duplicate of its original (its shingles differ) nor in its events (no rare word in
common). Used by ``events_scale.py``; ``perturbed_records`` gives JSON Lines records for a whole scan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator

WORD = re.compile(r"[^\W\d_]{2,}")
COMMON = 3000  # the most frequent words of the sets, kept as they are
SHIFT_DAYS = 400
_SUFFIX = ["", "vo", "ka", "ri", "ze", "lu", "mo", "ne", "pi", "sa", "te"]


def common_words(texts: Iterable[str], keep: int = COMMON) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in WORD.findall(text))
    return frozenset(w for w, _ in counts.most_common(keep))


def suffix(copy: int) -> str:
    """The letters copy ``copy`` appends (copy 0 is the original; letters, so a word stays one word)."""
    return _SUFFIX[copy % len(_SUFFIX)] * (1 + copy // len(_SUFFIX))


def perturbed_text(text: str, copy: int, common: frozenset[str]) -> str:
    if copy == 0:
        return text
    end = suffix(copy)
    return WORD.sub(lambda m: m.group() if m.group().lower() in common else m.group() + end, text)


def perturbed_records(records: list[dict], copies: int, common: frozenset[str]) -> Iterator[dict]:
    """The records (``id``, ``date``, ``title``, ``text``, ...) and ``copies`` - 1 perturbed copies of each."""
    for copy in range(copies):
        for rec in records:
            if copy == 0:
                yield rec
                continue
            date = rec.get("date")
            if date:
                try:
                    day = dt.date.fromisoformat(str(date)[:10]) + dt.timedelta(days=SHIFT_DAYS * copy)
                    date = day.isoformat() + str(date)[10:]
                except ValueError:
                    pass
            yield {**rec, "id": f"{rec['id']}~{copy}", "date": date,
                   "title": perturbed_text(rec.get("title") or "", copy, common),
                   "text": perturbed_text(rec.get("text") or "", copy, common)}


def perturbed_stories(stories, texts: list[str], groups, copies: int):
    """The events stage's input (stories, their clean texts, duplicate groups) and ``copies`` - 1 perturbed
    copies of it: the events stage at ``copies`` times the size without scanning that many files."""
    common = common_words(texts)
    all_stories, all_texts, all_groups = list(stories), list(texts), list(groups)
    step = max((g.group_id for g in groups), default=0) + 1
    for copy in range(1, copies):
        end = f"~{copy}"
        for s, t in zip(stories, texts):
            day = s.published + dt.timedelta(days=SHIFT_DAYS * copy) if s.published else None
            all_stories.append(dataclasses.replace(s, story_id=s.story_id + end, doc_id=s.doc_id + end,
                                                   title=perturbed_text(s.title, copy, common), published=day))
            all_texts.append(perturbed_text(t, copy, common))
        all_groups.extend(dataclasses.replace(g, group_id=g.group_id + copy * step, canonical=g.canonical + end,
                                              members=tuple(m + end for m in g.members)) for g in groups)
    return all_stories, all_texts, all_groups
