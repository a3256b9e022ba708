"""Labels for events that read like a tag a person writes: "Rutte · Ukraine membership · 3–4 Dec 2024".

The terms are the event's heaviest TF-IDF terms (the idf already leans on general English, so "said" weighs
little), somewhat less what the whole folder shares, without outlet names, weekdays or months (the date
range says when). Two terms that stand next to each other in the event's text become one phrase, and each
term is written as the stories write it most often, so names keep their capitals.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Generator, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsdedup.model import DuplicateGroup, Event, Story, mapped
from newsdedup.pool import Pool

WORD = re.compile(r"\b[^\W\d_]{2,}\b")
_WORD_SPLIT = re.compile(f"({WORD.pattern})")  # WORD, kept when a text is split on it
_SENTENCE_BREAK = re.compile(r"[\n.!?:;]")  # between two words: the second begins a line or a sentence (or a clause)
NOT_TOPICS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "tomorrow", "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "said", "says", "told", "news", "reported", "according", "photo", "ap", "reuters", "afp",
}
CONTRAST = 0.5  # how much of the folder's mean weight a term loses: shared words are not distinctive
TITLE_BONUS = 1.0  # a term in every title of the event counts double: headlines name what happened
NAME_BONUS = 1.5  # names (written with a capital in the stories) say which happening, not which kind
CANDIDATES = 8  # terms considered per label, before phrases are joined
TEXT_SAMPLE = 20_000  # characters of an event's text scanned for phrases and spellings
STEP_EVENTS = 64  # events labelled between two progress reports (and sent to a worker at once)
POOL_EVENTS = 4000  # from this many events the labels' reading of texts runs on worker processes
FINAL_EVENTS = 40_000  # events dated, sorted and named between two reports
LEAD_SHARE = 0.8  # a word that stands before a name this often belongs to it ("San" Diego, "New" Orleans)
# unless it is a title: "Secretary General Mark Rutte" is Mark Rutte
TITLES = set("""president vice general secretary minister prime chancellor chief director senator sen governor
gov mayor judge justice doctor dr mr mrs ms miss sir dame lord lady king queen prince princess pope reverend
rev father coach captain capt commander officer deputy sheriff sergeant sgt lieutenant lt colonel col major
gen admiral spokesman spokeswoman chairman chairwoman ceo professor prof ambassador representative rep
congressman congresswoman commissioner inspector detective agent attorney speaker leader former late
constable actor actress singer star manager striker quarterback""".split())
# forms of address say nothing about a happening: not label terms on their own
HONORIFICS = {"dr", "mr", "mrs", "ms", "sir", "dame", "rev", "prof", "gen", "sen", "gov", "rep", "lt", "sgt",
              "col", "capt", "cmdr", "adm"}


def label_events(stories: list[Story], groups: list[DuplicateGroup], labels: np.ndarray, matrix, terms,
                 texts: Sequence[str], n_terms: int, known: Mapping[frozenset[str], tuple[str, ...]] | None = None,
                 workers: int | None = 1) -> Generator[int, None, list[Event]]:
    """Events (numbered by date, undated last) with their stories, date ranges and labels, as the return
    value; yields how many duplicate groups have been labelled every ``STEP_EVENTS`` events. ``known``: the
    terms of events as they were (a rescan), kept for an event of the very same stories. From
    ``POOL_EVENTS`` events to label on, each event's texts are read for its label on ``workers``
    processes (None: every core; 1: in this process) while this process picks the next events' candidate
    terms."""
    by_event: dict[int, list[int]] = {}
    for gi, lab in enumerate(labels):
        by_event.setdefault(int(lab), []).append(gi)
    index = {s.story_id: s for s in stories}
    banned = NOT_TOPICS | HONORIFICS | _outlet_words(stories)
    yield 0  # each step here takes a second or more at 400,000 stories: a report between them
    if matrix is not None:
        members = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))))
        sizes = np.asarray(members.sum(axis=1)).ravel()
        centres = (sp.diags(1.0 / np.maximum(sizes, 1)) @ (members @ matrix)).tocsr()
        overall = np.asarray(matrix.mean(axis=0)).ravel() if len(by_event) > 1 else None
    yield 0  # the centres take a second at 200,000 stories, and so do the events' members below
    order = list(by_event.items())
    members_of = [tuple(sid for gi in gis for sid in groups[gi].members) for _, gis in order]
    kept = [known.get(frozenset(m)) if known is not None else None for m in members_of]  # terms as they were

    def wanted(k: int) -> bool:  # an event whose terms are read anew
        return matrix is not None and kept[k] is None

    def chunks():
        for lo in range(0, len(order), STEP_EVENTS):
            part = range(lo, min(lo + STEP_EVENTS, len(order)))
            yield [_label_input(_row(centres, order[k][0]), overall, terms, banned, [texts[g] for g in order[k][1]],
                                [index[groups[g].canonical].title.lower() for g in order[k][1]])
                   if wanted(k) else None for k in part], sum(len(order[k][1]) for k in part)

    anew = sum(wanted(k) for k in range(len(order)))  # a rescan reads few: no workers started for none
    with Pool(workers if anew >= POOL_EVENTS else 1) as pool:
        picked = yield from mapped(pool.stream("labels", label_chunk, chunks(), len(labels), n_terms=n_terms),
                                   lambda progress: progress.done)  # groups labelled
    events = []
    for k, names in enumerate(n for chunk in picked for n in chunk):
        story_ids = members_of[k]
        dated = sorted(d for s in story_ids if (d := index[s].published) is not None)
        start, end = (dated[0], dated[-1]) if dated else (None, None)
        was = kept[k]
        events.append(Event(0, "", start, end, story_ids, names if was is None else was))
        if (k + 1) % FINAL_EVENTS == 0:  # these last steps take seconds at 400,000 stories: reports between
            yield len(labels)
    events.sort(key=lambda e: (e.start is None, e.start or dt.date.max, -len(e.story_ids), e.story_ids))
    yield len(labels)
    out = []
    for eid, e in enumerate(events):
        when = date_range_label(e.start, e.end)
        label = " · ".join([*e.terms, when] if when else e.terms)
        out.append(Event(eid, label, e.start, e.end, e.story_ids, e.terms))
        if (eid + 1) % FINAL_EVENTS == 0:
            yield len(labels)
    return out


def label_chunk(chunk: list, n_terms: int) -> list[tuple[str, ...]]:
    """In a worker (or this process): the terms of each event of a chunk (None: an event not labelled)."""
    return [() if item is None else _picked(item, n_terms) for item in chunk]


def _row(matrix: sp.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Row ``i`` of a CSR matrix as its (column indices, values): slices, not a new matrix per row."""
    lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
    return matrix.indices[lo:hi], matrix.data[lo:hi]


def _outlet_words(stories: list[Story]) -> set[str]:
    """Words of the outlets' names and of the agencies in datelines ("BRUSSELS (AP)")."""
    names = {s.source for s in stories if s.source}
    names |= {m for s in stories if s.dateline for m in re.findall(r"\(([^)]*)\)", s.dateline)}
    return {w.lower() for name in names for w in re.split(r"[\W\d_]+", name) if w}


def _event_terms(row, overall, terms, banned: set[str], texts: Sequence[str], titles: list[str],
                 n_terms: int) -> tuple[str, ...]:
    found = _label_input(row, overall, terms, banned, texts, titles)
    return () if found is None else _picked(found, n_terms)


class LabelInput(NamedTuple):
    pool: list[tuple[str, float]]  # candidate terms and their weights
    sample: str  # the event's text, or its first TEXT_SAMPLE characters
    titles: list[str]  # its titles, lower case


def _label_input(row, overall, terms, banned: set[str], texts: Sequence[str], titles: list[str]
                 ) -> LabelInput | None:
    """What an event's label is picked from: its candidate terms with their weights (its heaviest, less
    what the whole folder shares), a sample of its text and its titles; None when no term is a candidate."""
    idx, weight = row[0], row[1].astype(np.float64)
    if overall is not None:
        weight = weight - CONTRAST * overall[idx]
    order = np.argsort(-weight, kind="stable")
    heaviest = order[:4 * CANDIDATES]
    pool = [(t, w) for t, w in zip(terms[idx[heaviest]].tolist(), weight[heaviest].tolist())
            if t not in banned and not t[0].isdigit()]  # figures: no tags
    if not pool:
        return None
    sample = "\n".join(texts)[:TEXT_SAMPLE] if sum(map(len, texts)) > TEXT_SAMPLE else "\n".join(texts)
    return LabelInput(pool, sample, titles)


def _picked(found: LabelInput, n_terms: int) -> tuple[str, ...]:
    """An event's label terms from ``_label_input``: the candidates as the stories write them, joined into
    phrases where two stand together, scored up for names and for standing in the titles."""
    pool, sample, titles = found
    spelling, phrases, leads = _spellings_and_phrases(sample, {t for t, _ in pool})
    title_words = [set(WORD.findall(t)) for t in titles]

    def score(term: str, w: float) -> float:
        in_titles = sum(term in t for t in title_words) / max(len(title_words), 1)
        named = spelling.get(term, term)[:1].isupper()
        return w * (1.0 + TITLE_BONUS * in_titles) * (NAME_BONUS if named else 1.0)

    picked = [t for t, _ in sorted(pool, key=lambda p: -score(*p))][:CANDIDATES]
    out: list[str] = []
    used: set[str] = set()
    for term in picked:
        if term in used:
            continue
        partner = phrases.get(term)
        if partner and partner[1] not in used:
            first, second = partner
            written = f"{spelling.get(first, first)} {spelling.get(second, second)}"
            used |= {first, second}
            lead = leads.get(partner)
        else:
            written = spelling.get(term, term)
            used.add(term)
            lead = leads.get(term)
        if lead and written[:1].isupper() and lead.lower() not in used:  # "San" + "Diego Chargers"
            written = f"{lead} {written}"
            used.add(lead.lower())
        out.append(written)
        if len(out) == n_terms:
            break
    return tuple(out)


def _spellings_and_phrases(text: str, wanted: set[str]) -> tuple[dict[str, str], dict[str, tuple[str, str]],
                                                                  dict[str | tuple[str, str], str]]:
    """The commonest written form of each wanted term; for a term the wanted term that most often stands
    next to it (twice at least), as (first word, second word); and for a term or such a pair the
    capitalised word that stands right before it in most of the places it appears mid-sentence ("San"
    before "Diego Chargers", "New" before "Orleans Saints"), so a name is not cut in half."""
    forms: defaultdict[str, Counter] = defaultdict(Counter)
    pairs: Counter = Counter()
    before: defaultdict[str, Counter] = defaultdict(Counter)  # term -> the word before it, where it is not
    before_pair: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)  # first in its sentence; and pairs
    # one pass of the regex engine: the text between the words, then each word ([gap, word, gap, word, ...]);
    # only the places of wanted terms are looked at one by one (most words of a sample are not wanted)
    parts = _WORD_SPLIT.split(text)
    said, gaps = parts[1::2], parts[0::2]
    if not said:
        return {}, {}, {}
    gaps[0] = "\n"  # nothing stands before the first word: as a line's start
    lows = "\n".join(said).lower().split("\n")  # no word holds a line end
    lead_at: dict[int, str | None] = {}  # at a wanted term's place: the capitalised word right before it
    for k in [k for k, low in enumerate(lows) if low in wanted]:
        word, low, gap = said[k], lows[k], gaps[k]
        adjacent = not gap.strip() and "\n" not in gap
        forms[low][word] += 1
        if k - 1 in lead_at:  # the word right before is a wanted term too
            prev = lows[k - 1]
            if prev != low and adjacent:
                pairs[(prev, low)] += 1
                prev_lead = lead_at[k - 1]
                if prev_lead is not None:
                    before_pair[(prev, low)][prev_lead] += 1
        lead = None  # the first word of a sentence has no word before it
        if not _SENTENCE_BREAK.search(gap):
            last = said[k - 1] if k else ""
            lead = last if (adjacent and last[:1].isupper() and last.lower() not in ENGLISH_STOP_WORDS
                            and last.lower() not in TITLES) else ""
            before[low][lead] += 1
        lead_at[k] = lead
    # the commonest form, but not SHOUTED datelines ("BRUSSELS") where the text also writes it plainly
    spelling = {w: max(c, key=lambda f: (not (f.isupper() and len(f) > 4), c[f])) for w, c in forms.items()}
    phrases: dict[str, tuple[str, str]] = {}
    for (first, second), count in pairs.most_common():
        if count < 2:
            break
        for w in (first, second):
            phrases.setdefault(w, (first, second))
    leads: dict[str | tuple[str, str], str] = {}
    counted: list[tuple[str | tuple[str, str], Counter]] = [*before.items(), *before_pair.items()]
    for key, c in counted:
        lead, count = max(((f, n) for f, n in c.items() if f), key=lambda p: p[1], default=("", 0))
        if count >= 2 and count >= LEAD_SHARE * sum(c.values()):
            leads[key] = lead
    return spelling, phrases, leads


def date_range_label(start: dt.date | None, end: dt.date | None) -> str:
    """'3 Dec 2024', '3–4 Dec 2024', '28 Nov – 4 Dec 2024', '30 Dec 2024 – 2 Jan 2025'."""
    if start is None or end is None:
        return ""
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
