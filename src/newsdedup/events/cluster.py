"""Events: stories that report the same happening, found without being told how many there are.

Each duplicate group speaks once (its canonical story), so forty reprints do not outvote one report.
Stories become TF-IDF vectors over clean text (boilerplate out, title weighted, names weighed double,
figures counted as terms), with
an idf that leans on general English word frequencies where the folder is too small to have its own (see
``idf``).

Grouping is agglomeration on a sparse nearest-neighbour graph, never a dense n-by-n matrix (see
``neighbours`` and ``merge``): each story is linked to its few nearest neighbours, and two events merge when a large
share of the links of the smaller goes to the other and their stories cohere. Reciprocal best pairs merge in
vectorised rounds, strongest links first, and the events whose best partner is such a pair join it in the
same round when the joined group as a whole keeps the dates, the corrections and the link share.

Dates are trusted by where they came from (see ``timing``): the similarity of two stories fades with the
days between them, fast for dates from metadata, slower for dates read from the text, and the dated stories
of an event span at most ``window_days`` (and, if set, leave no silence of more than ``gap_days``). Dated
stories form their events first, among themselves; then undated stories merge with each other and each
event of them joins one dated event at most, by a clear margin (see ``undated``). Template items of
different companies are never one event (see ``subjects``). The user's corrections win: must-link pairs
start in one event, cannot-link pairs never end in one.

The stage yields Progress after every block of the neighbour search and every round of merging (in units
of representative stories, each counted once by each step: words, neighbours, merging, labels), so a caller sees it move
and can stop it between two yields.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from newsdedup.events.idf import blended_idf
from newsdedup.events.incremental import (
    Earlier,
    combined_labels,
    kept_terms,
    left_behind,
    saved_apart,
    saved_events,
    saved_together,
    staying,
    touched_events,
)
from newsdedup.events.joins import joined_labels, linked, renumbered_apart
from newsdedup.events.labels import date_range_label, label_events
from newsdedup.events.merge import link_graph, merge_events
from newsdedup.events.neighbours import neighbour_edges
from newsdedup.events.subjects import head_figures, joined_names, same_figures, same_subject, subject_ids
from newsdedup.events.timing import GroupTimes, decay, group_times
from newsdedup.model import DuplicateGroup, Event, Progress, Steps, Story, finish, reported

__all__ = ["EventSettings", "FolderCounts", "cluster_events", "date_range_label", "folder_counts", "story_vectors"]

log = logging.getLogger(__name__)

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # words of letters; "Rutte's" counts as "Rutte"
_WORDS = re.compile(TOKEN_PATTERN)
# and figures ("4,001,000", "14.8", "33"), not years nor single digits: two earnings briefs in one template
# ("Shr 33 cts vs 29 cts") differ only in their company and their figures, and reports of one happening
# share theirs ("killed 23", "$400 million")
_TERMS = re.compile(TOKEN_PATTERN + r"|(?<![\w.,])(?!(?:19|20)\d\d\b)(?:\d+(?:[.,]\d+)+|\d{2,})(?!\w)")
# the first word of a line or a sentence has a capital whatever it is ("Shr 12 cts", "Police said")
_FIRST = re.compile(r"(?:^|[.!?:;]\s+)[\s\"“‘'(\[«*•-]*\b([^\W\d_]{2,})\b", re.M)


@dataclass(frozen=True)
class EventSettings:
    # the neighbour graph (see event_merge): each story is linked to at most ``link_neighbours`` others,
    # those at least ``link_similarity`` alike (cosine), a link weighing its cosine ** ``link_power``
    link_neighbours: int = 5
    link_similarity: float = 0.1
    link_power: float = 2.0
    # two events merge when this share of the smaller one's link weight goes to the other; keep it below
    # 1 / link_neighbours, or two single stories could never merge
    link_share: float = 0.15
    # the share is of a story's link weight, or of what ``link_neighbours`` links of this cosine would weigh
    # if that is more: a story whose nearest neighbour is barely alike ("Comic Morris returns with sitcom"
    # and a report on pay in film, cosine 0.10) is alone, not a share of 1 of another event
    link_floor: float = 0.15
    # and when the mean cosine over all pairs of their stories reaches this (the guard against chains)
    mean_similarity: float = 0.06
    # the dated stories of one event lie within this many days: six weeks hold a happening and its
    # follow-ups (the charges, the funeral, the inquiry) and still keep apart two happenings of one kind
    window_days: int = 45
    gap_days: int | None = None  # if set: and leave no silence of more than this many days between them
    # within the window, the similarity of two stories halves with every this many days between them
    # beyond a day's slack when both dates come from metadata, beyond three days when read from text
    # (see ``timing``)
    precise_half_life: float = 3.0
    loose_half_life: float = 14.0
    # an event of undated stories joins the dated event it shares most links with when it shares at least
    # this many times as much with it as with the next, and its stories are at least this share as alike
    # to that event's as to each other (see ``undated``)
    undated_margin: float = 2.0
    undated_cohesion: float = 0.75
    # the title counts as this many copies of itself: the headline is the writer's own line on what happened
    title_weight: int = 3
    name_weight: float = 2.0  # a name (see _named: people, places, organisations) counts this many times
    label_terms: int = 3
    language: str = "en"  # of the background word frequencies


@dataclass(frozen=True)
class FolderCounts:
    """In how many documents of the whole folder each term stands, and the folder's documents and words:
    what the idf is made of, so that vectors made a block of stories at a time (the cluster scan) weigh
    words as the whole folder's vectors do."""

    df: dict[str, int]
    documents: int
    words: int
    names: dict = field(default_factory=dict)  # headline names seen beside tickers (``subjects.names_seen``)

    def __add__(self, other: FolderCounts) -> FolderCounts:
        df = dict(self.df)
        for term, k in other.df.items():
            df[term] = df.get(term, 0) + k
        return FolderCounts(df, self.documents + other.documents, self.words + other.words,
                            joined_names(self.names, other.names))


def folder_counts(docs: list[str]) -> FolderCounts:
    """``FolderCounts`` of ``docs`` (words as ``vector_steps`` reads them)."""
    df: dict[str, int] = {}
    words = 0
    for doc in docs:
        found = _named(doc)[0]
        words += len(found)
        for term in {w.lower() for w in found}:
            df[term] = df.get(term, 0) + 1
    return FolderCounts(df, len(docs), words)


def story_vectors(docs: list[str], settings: EventSettings = EventSettings()):
    """L2-normalised TF-IDF rows (sublinear tf, blended idf) and the vocabulary, or (None, None)."""
    return finish(vector_steps(docs, settings))


def vector_steps(docs: list[str], settings: EventSettings = EventSettings(), chunk: int = 128,
                 folder: FolderCounts | None = None):
    """``story_vectors`` as a generator: yields the documents counted so far, returns (matrix, terms).

    Words are counted a chunk of documents at a time, so a caller can report progress and stop between
    chunks. Names tell one happening from another of the same kind (this pirate attack, that one) better
    than the words of the kind do, so a name weighs ``name_weight`` times its plain count (see
    ``_named``). ``folder``: the idf from these counts instead of ``docs``' own."""
    vocabulary: dict[str, int] = {}  # a term's column: the order terms first stand in
    index_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    indptr = [0]
    name, plain = np.float32(settings.name_weight), np.float32(1.0)
    for s in range(0, len(docs), chunk):
        lowered: list[str] = []
        named: list[bool] = []
        before = indptr[-1]
        for doc in docs[s:s + chunk]:
            words, names = _named(doc)
            # one lower() for all the words: no word holds a line end
            lowered.extend("\n".join(words).lower().split("\n") if words else ())
            named.extend(names)
            indptr.append(before + len(lowered))
        new = [w for w in dict.fromkeys(lowered) if w not in vocabulary]  # the chunk's new terms, in order
        vocabulary.update(zip(new, range(len(vocabulary), len(vocabulary) + len(new))))
        index_parts.append(np.fromiter(map(vocabulary.__getitem__, lowered), np.int64, len(lowered)))
        weight_parts.append(np.where(np.asarray(named, bool), name, plain))
        yield min(s + chunk, len(docs))
    if not vocabulary:  # not one word in any document
        return None, None
    indices, weights = np.concatenate(index_parts), np.concatenate(weight_parts)
    shape = (len(docs), len(vocabulary))
    index, pointers = np.asarray(indices, np.int64), np.asarray(indptr, np.int64)
    counts = sp.csr_matrix((np.ones(len(indices), np.float32), index, pointers), shape=shape)
    # own copies of the index arrays: sum_duplicates sorts them in place
    weighted = sp.csr_matrix((np.asarray(weights, np.float32), index.copy(), pointers.copy()), shape=shape)
    yield len(docs)  # the steps below take seconds on a big folder: report between them
    counts.sum_duplicates()
    weighted.sum_duplicates()  # the same positions as counts: both summed from the same indices
    yield len(docs)
    terms = np.array(list(vocabulary), dtype=object)
    if folder is None:
        df = np.bincount(counts.indices, minlength=len(terms))
        documents, mean_length = counts.shape[0], float(counts.sum()) / max(counts.shape[0], 1)
    else:
        df = np.fromiter((folder.df.get(t, 0) for t in terms), dtype=np.int64, count=len(terms))
        documents, mean_length = folder.documents, folder.words / max(folder.documents, 1)
    idf = blended_idf(terms, df, documents, mean_length, settings.language)
    yield len(docs)
    # a word that most documents carry says nothing about which event one reports
    idf[idf < 1.0 + np.log(2.0)] = 0.0
    counts.data = (1.0 + np.log(counts.data)) * (weighted.data / counts.data)  # sublinear tf, names weighed
    matrix = normalize(counts @ sp.diags(idf.astype(np.float32)), copy=False)
    matrix.eliminate_zeros()
    return matrix.astype(np.float32), terms


def _named(doc: str) -> tuple[list[str], list[bool]]:
    """The words of ``doc`` and which of them are names: written with a capital, and written so somewhere
    in the document where no capital is required (not first in its line or sentence, not in a line shouted
    in capitals throughout). So "Gulf" in "Gulf of Aden" is a name and "gulf" in "a widening gulf" is not;
    "Williams" opening a sentence is, since the story also writes "said Williams"; but "Shr" opening every
    row of an earnings table is not, nor is "ARRESTED" in a shouted headline."""
    doc = _unshouted(doc)
    words = _TERMS.findall(doc)  # strings, not match objects: a third of the time
    capital = [w[0].isupper() for w in words]
    if not any(capital):
        return words, capital
    # a word opening a line or sentence is also one of ``words``: a capitalised word is a name when it
    # stands capitalised more often than in such places
    opening = Counter(w for w in _FIRST.findall(doc) if w[0].isupper())
    names = {w for w, k in Counter(compress(words, capital)).items() if k > opening.get(w, 0)}
    return words, [c and w in names for w, c in zip(words, capital)]


def _unshouted(text: str) -> str:
    """Lines of two words or more written in capitals throughout (a shouted headline, "CHARGERS' WILLIAMS
    ARRESTED ON SUSPICION OF DUI") in lower case: their capitals say nothing about which words are names.
    A line of one word in capitals ("NATO") may well be a name."""
    lines = text.split("\n")
    shouted = [line.isupper() and len(_WORDS.findall(line)) > 1 for line in lines]
    if not any(shouted):
        return text
    return "\n".join(line.lower() if loud else line for line, loud in zip(lines, shouted))


def cluster_events(stories: list[Story], texts: Sequence[str], groups: list[DuplicateGroup],
                   settings: EventSettings = EventSettings(),
                   must_link: Sequence[tuple[str, str]] = (), cannot_link: Sequence[tuple[str, str]] = (),
                   folder: FolderCounts | None = None, earlier: Earlier | None = None) -> Steps[list[Event]]:
    """A stage: the events (every story in exactly one). ``folder``: word counts of a larger whole these
    stories are a block of (see ``vector_steps``). With ``earlier`` (a rescan's last events), only the
    events its changes touched are grouped and labelled again (see ``incremental``)."""
    index = {s.story_id: i for i, s in enumerate(stories)}
    reps = [index[g.canonical] for g in groups]
    n = len(reps)
    total = 4 * n
    yield Progress("events", 0, total)
    if not reps:
        return []
    docs = representative_texts(stories, texts, reps, settings)
    matrix, terms = yield from reported("events", vector_steps(docs, settings, folder=folder), lambda counted: counted, total)
    group_of = {sid: gi for gi, g in enumerate(groups) for sid in g.members}
    pairs = [(group_of[a], group_of[b]) for a, b in must_link if a in group_of and b in group_of]
    start = linked(len(groups), pairs)
    apart = np.array([(group_of[a], group_of[b]) for a, b in cannot_link
                      if a in group_of and b in group_of], dtype=np.int64).reshape(-1, 2)
    times = group_times(stories, groups, index)
    labels = start
    if matrix is not None:
        heads = [stories[i].title + "\n" + texts[i] for i in reps]
        subjects = subject_ids(heads)
        yield Progress("events", n, total)
        figures = head_figures(heads)
        yield Progress("events", n, total)  # a second or two at 50,000 stories each: a report between them
        if earlier is None:
            labels = yield from _grouped(matrix, times, subjects, figures, start, apart, settings, total)
        else:
            labels = yield from _regrouped(matrix, times, subjects, figures, start, apart, settings, total, groups,
                                           earlier)
    known = kept_terms(earlier, stories) if earlier is not None else None
    labelling = label_events(stories, groups, labels, matrix, terms, [texts[i] for i in reps], settings.label_terms,
                             known)
    events = yield from reported("events", labelling, lambda groups_done: 3 * n + groups_done, total)
    yield Progress("events", total, total)
    return events


def _grouped(matrix, times: GroupTimes, subjects, figures, start, apart, settings: EventSettings, total: int,
             sub: np.ndarray | None = None):
    """Each representative's event number: first the dated stories among themselves (neighbours found
    among them alone, similarity fading with the days between them), then the undated ones with each other
    and into the dated events (see ``undated``). One neighbour search gives both lists of neighbours.
    With ``sub`` (row numbers), only those rows are grouped (a rescan, see ``incremental``): they look for
    their neighbours among all rows, and a link to a row outside still counts in their link weight.
    Reports progress from n to 3n of ``total``."""
    n = matrix.shape[0]
    kept = np.arange(n) if sub is None else np.asarray(sub)
    is_dated = ~np.isnan(times.lo)
    search = neighbour_edges(matrix, settings.link_neighbours,
                             lambda i, j: decay(times, i, j, settings) * same_subject(subjects, i, j)
                             * same_figures(figures, i, j), is_dated, None if sub is None else kept)
    edges, dated_edges = yield from reported("events", search, lambda rows: n + rows * n // max(len(kept), 1), total)
    dated_all = np.flatnonzero(is_dated)
    dated_edges = (dated_all[dated_edges[0]], dated_all[dated_edges[1]], dated_edges[2])
    whole = matrix
    if sub is not None:
        matrix, subjects = matrix[kept], subjects[kept]
        times = GroupTimes(times.lo[kept], times.hi[kept], times.precise[kept])
        start, apart = np.unique(start[kept], return_inverse=True)[1], renumbered_apart(apart, kept, n)
    dated = np.flatnonzero(~np.isnan(times.lo))
    labels = start
    if len(dated) > 1:
        own = GroupTimes(times.lo[dated], times.hi[dated], times.precise[dated])
        keep = np.isin(apart, dated).all(axis=1)
        position = np.full(len(kept), -1)
        position[dated] = np.arange(len(dated))
        inside, extra = _inside(dated_edges, kept[dated], whole, settings)
        merging = merge_events(matrix[dated], link_graph(inside, len(dated), settings, matrix[dated], subjects[dated],
                                                         extra),
                               np.unique(start[dated], return_inverse=True)[1], own.lo, own.hi,
                               position[apart[keep]], settings)
        first = yield from reported("events", merging, _merged_share(n, 0), total)
        labels = joined_labels(start, dated, first)
    inside, extra = _inside(edges, kept, whole, settings)
    graph = link_graph(inside, len(kept), settings, matrix, subjects, extra)
    for step, undated in ((1, "apart"), (2, "join")):
        merging = merge_events(matrix, graph, labels, times.lo, times.hi, apart, settings, undated)
        labels = yield from reported("events", merging, _merged_share(n, step), total)
    return labels


def _regrouped(matrix, times: GroupTimes, subjects, figures, start, apart, settings: EventSettings, total: int,
               groups: list[DuplicateGroup], earlier: Earlier):
    """``_grouped`` for a rescan: the new and changed stories look for their neighbours, and the saved
    events those touch are grouped again; the other events stand (see ``incremental``)."""
    n = matrix.shape[0]
    saved, changed, shaken = saved_events(groups, earlier)

    def near(rows: np.ndarray):
        search = neighbour_edges(matrix, settings.link_neighbours,
                                 lambda i, j: decay(times, i, j, settings) * same_subject(subjects, i, j)
                                 * same_figures(figures, i, j), rows=rows)
        return (yield from reported("events", search, lambda done: n + done * n // max(len(rows), 1), total))

    edges = yield from near(np.flatnonzero(changed))
    stay = staying(saved, changed, edges, settings)
    shaken |= left_behind(saved, changed, stay)
    if shaken.any():  # events that lost a story are placed again one by one; their stories look for neighbours
        more = yield from near(np.flatnonzero(shaken))
        edges = tuple(np.r_[x, y] for x, y in zip(edges, more))
        saved, changed = np.where(shaken, -1, saved), changed | shaken
    saved = np.where(changed & ~stay, -1, saved)
    touched = touched_events(groups, earlier, saved, changed, edges)
    again = changed.copy()
    again[~changed] = touched[saved[~changed]]
    again |= np.isin(start, start[again])  # must-linked stories are grouped together
    sub = np.flatnonzero(again)
    log.info("events: %d of %d duplicate groups grouped again (%d new or changed)", len(sub), n, changed.sum())
    if len(sub) == 0:
        return combined_labels(saved, again, np.empty(0, np.int64))
    apart = np.r_[apart, saved_apart(saved, again & (~changed | stay))]
    together = saved_together(start, saved, changed, stay)
    new = yield from _grouped(matrix, times, subjects, figures, together, apart, settings, total, sub)
    return combined_labels(saved, again, new)




def _inside(edges, rows: np.ndarray, whole, settings: EventSettings):
    """The links between ``rows`` (renumbered 0..len-1), and each row's link weight to rows outside them
    (cosine ** link_power of those at least link_similarity alike, as ``link_graph`` counts a degree)."""
    a, b, v = edges
    position = np.full(whole.shape[0], -1)
    position[rows] = np.arange(len(rows))
    pa, pb = position[a], position[b]
    both = (pa >= 0) & (pb >= 0)
    extra = np.zeros(len(rows))
    one = (pa >= 0) != (pb >= 0)
    if one.any():
        plain = np.asarray(whole[a[one]].multiply(whole[b[one]]).sum(axis=1)).ravel()
        ok = plain >= settings.link_similarity
        extra += np.bincount(np.where(pa[one] >= 0, pa[one], pb[one])[ok], weights=plain[ok].astype(np.float64)
                             ** settings.link_power, minlength=len(rows))
    return (pa[both], pb[both], v[both]), extra


def _rescaled(steps, done_of: Callable[[int], int], total: int):
    """``yield from steps``, its Progress counted anew by ``done_of`` out of ``total``."""
    while True:
        try:
            item = next(steps)
        except StopIteration as stop:
            return stop.value
        yield Progress("events", done_of(item.done), total)


def _merged_share(n: int, step: int) -> Callable[[float], int]:
    """Progress of merging round ``step`` (of three) at ``share`` of its way: from 2n to 3n."""
    return lambda share: 2 * n + int((step + share) * n / 3)




def representative_texts(stories, texts, reps: list[int], settings: EventSettings) -> list[str]:
    """What is counted of each representative story: its title ``title_weight`` times, then its text."""
    return [((_whole_words(stories[i].title) + "\n") * settings.title_weight) + texts[i] for i in reps]


def _whole_words(title: str) -> str:
    """A title shortened with "…" may end in half a word ("allie…"): leave that half out."""
    return title[:-1].rsplit(None, 1)[0] if title.endswith("…") and " " in title else title
