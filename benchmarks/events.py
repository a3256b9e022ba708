"""Events, measured: B-cubed and ARI with default settings beside a tuned ten-line baseline, and speed.

    python benchmarks/events.py --data ../shared/eval                 # quality, then speed on every set
    python benchmarks/events.py --data ../shared/eval --no-speed      # quality only (Reuters: first 2,000, all)
    python benchmarks/events.py --data ../shared/eval --errors 5      # and the worst merged / split events
    python benchmarks/events.py --data ../shared/eval --no-speed --set window_days=100000 --set gap_days=7
                                       # with event settings changed (printed as CHANGED, never as default)

Quality: ecbplus (event labels), ecbplus's dated stories as a dated set (see ``dated_set``), wikiref (topic
labels), ecbplus and wikiref mixed in one scan, pac_train (dated multi-outlet political news, two reports
per happening) and Reuters template briefs (see ``template_briefs``), all in one invocation. Each goes through the
path the app takes: ``run_scan`` reads the .jsonl records (ingest), makes stories, finds duplicate groups
and clusters events, all with default settings and no number of events given. Scores are over the stories
the scan made, each carrying its record's label; records that ingest left out (no text) are counted and
reported, not scored.

The baseline is what a user could write in ten lines: TfidfVectorizer (English stop words, sublinear tf)
over title + text of the same stories, then AgglomerativeClustering (average linkage, cosine distance,
``distance_threshold``, no number of clusters). Its threshold is TUNED by a grid on the very data it is
scored on, per row, so it is an upper bound for that baseline, not something a user would get.

Speed: every set under --data in one scan, as the app would scan the folder. The events stage is timed
from its first progress report to its result, untraced (tracemalloc slows Python's own loops, such as
counting words, two- to threefold); then the stage runs again on the same stories under tracemalloc for
its peak working memory. The baseline needs the dense n x n distance matrix, so it runs on the largest
evenly spread subset given by --baseline-docs, timed and traced the same way, and the bytes n x n would
need for all stories are printed beside it. Last, the neighbour search (which looks with each story's
heaviest terms, then ranks the candidates by exact cosine) beside an exhaustive one on 3,000
of the stories: the share of links it finds and its speed ratio (``search_check``); ``events_scale.py`` does the
same at four times the stories.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import cosine_distances

from newsdedup.events.cluster import EventSettings, cluster_events
from newsdedup.model import Progress, finish
from newsdedup.pipeline import run_scan
from newsdedup.settings import Settings

BIG = 1 << 24  # the per-record cap (16 MB; a records file 10 times that) is for user folders: these are articles,
# and reading allocates up to the cap, so not more
GRID = np.round(np.arange(0.30, 0.96, 0.025), 3)


EVENTS = EventSettings()


def set_file(data: Path, name: str) -> Path:
    found = sorted((data / name).glob("*.jsonl"))
    if not found:
        sys.exit(f"no .jsonl file in {data / name}")
    return found[0]


def read_labels(path: Path) -> tuple[dict[str, str], int]:
    """Label of every record, keyed by the doc_id a scan gives it, and the number of records."""
    import json

    labels = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            rec = json.loads(line)
            labels[f"{path.name}#{rec['id']}"] = str(rec.get("label"))
    return labels, len(labels)


def scan_timed(paths: list[Path], trace: bool = True):
    """The app's scan; returns the result, the events stage's seconds, its peak traced bytes (0 untraced)
    and the longest wait between two of its progress reports (what a user waits for the bar to move, or
    Cancel)."""
    started = last = None
    longest = 0.0

    def on_progress(item: Progress) -> None:
        nonlocal started, last, longest
        if item.stage == "events":
            now = time.perf_counter()
            if started is None:
                if trace:
                    tracemalloc.start()
                started = now = time.perf_counter()
            longest = max(longest, now - last) if last is not None else 0.0
            last = now

    result = finish(run_scan(paths, Settings(max_file_bytes=BIG, events=EVENTS)), on_progress)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    return result, seconds, peak, max(longest, time.perf_counter() - last)


def bcubed(truth, pred) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1, each averaged over items."""
    truth, pred = np.unique(truth, return_inverse=True)[1], np.unique(pred, return_inverse=True)[1]
    cells = Counter(zip(pred.tolist(), truth.tolist()))
    size_p, size_t = np.bincount(pred), np.bincount(truth)
    n = len(truth)
    p = sum(c * c / size_p[i] for (i, _), c in cells.items()) / n
    r = sum(c * c / size_t[j] for (_, j), c in cells.items()) / n
    return p, r, 2 * p * r / (p + r)


def scores(truth, pred) -> tuple[float, float, float, float]:
    return (*bcubed(truth, pred), adjusted_rand_score(truth, pred))


def baseline(docs: list[str], threshold: float | None = None, truth=None):
    """The ten-line baseline; with ``truth`` and no threshold, the best threshold of GRID for that truth."""
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(docs)
    dist = cosine_distances(x)
    best = None
    for t in ([threshold] if threshold is not None else GRID):
        pred = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                       distance_threshold=float(t)).fit_predict(dist)
        if truth is None:
            return pred, t
        s = scores(truth, pred)
        if best is None or s[2] > best[0][2]:
            best = (s, t, pred)
    return best


def dated_set(ecb: Path, folder: Path) -> Path:
    """ecbplus as a dated set: only the records whose story the scan dates, each with that date as its
    record's date field, written under ``folder`` (a temporary folder, never the project).

    The sets the defaults are judged on are dated throughout, while ecbplus is two thirds undated; this
    row shows what the date rules cost where every story has a date. Read it with care: in only 7 of the
    43 topics are both events of the kind dated, so the confusers the date rules exist for are mostly gone,
    while the labels still join follow-ups months or years later (a trial, a verdict), which no date rule
    that keeps two happenings of one kind apart can join."""
    import json

    result = finish(run_scan([ecb], Settings(max_file_bytes=BIG, events=EVENTS)))
    dated = {s.doc_id.split("#", 1)[1]: s.published.isoformat() for s in result.stories
             if s.story_index == 0 and s.published}
    out = folder / "ecbplus_dated.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for line in ecb.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                rec = json.loads(line)
                if str(rec["id"]) in dated:
                    f.write(json.dumps({**rec, "date": dated[str(rec["id"])]}) + "\n")
    return out


def template_briefs(reuters: Path, folder: Path, records: int | None = 2000) -> None:
    """Earnings briefs and dividend notices of the first ``records`` Reuters records (one template: "Qtr shr
    33 cts vs 29 cts", "Qtly div 15 cts vs 15 cts prior"), scanned with the rest of those records: how many
    events hold briefs of more than one company, and B-cubed precision of the briefs by company. A brief's
    company is what its headline names in angle brackets: a ticker ("<SRV>") or, for a company without one,
    its name ("<IVACO INC>"); the briefs of companies without a ticker are counted apart too."""
    import json
    import re

    lines = [line for line in reuters.read_text(encoding="utf-8").split("\n") if line.strip()][:records]
    which = f"the first {records}" if records else f"all {len(lines)}"
    sample = folder / "reuters_sample.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    company, unbracketed = {}, {}
    for line in lines:
        rec = json.loads(line)
        m = re.search(r"<([A-Z][^<>]{0,60})>", rec.get("title") or "")
        if rec.get("label") == "earn" and m:
            company[f"{sample.name}#{rec['id']}"] = " ".join(m.group(1).split())
        elif rec.get("label") == "earn" and (rec.get("title") or "").split():
            # no company in brackets: the headline's first word stands for it ("FRANKLIN MICHIGAN INSURED SETS
            # PAYOUT"), which tells companies apart less sharply (two Franklin funds count as one)
            unbracketed[f"{sample.name}#{rec['id']}"] = rec["title"].split()[0].strip("'<>").upper()
    result = finish(run_scan([sample], Settings(max_file_bytes=BIG, events=EVENTS)))
    event_of = {sid: e.event_id for e in result.events for sid in e.story_ids}
    briefs = [s for s in result.stories if s.doc_id in company]
    by_event: dict[int, list[str]] = {}
    for s in briefs:
        by_event.setdefault(event_of[s.story_id], []).append(company[s.doc_id])
    mixed = [c for c in by_event.values() if len(set(c)) > 1]
    untickered = [c for c in mixed if any(" " in name for name in c)]  # a ticker has no space; a name has
    precision = sum(by_event[event_of[s.story_id]].count(company[s.doc_id]) / len(by_event[event_of[s.story_id]])
                    for s in briefs) / max(len(briefs), 1)
    sizes = sorted((len(e.story_ids) for e in result.events), reverse=True)[:5]
    plain = sum(" " in company[s.doc_id] for s in briefs)
    loose = [s for s in result.stories if s.doc_id in unbracketed]
    first: dict[int, set[str]] = {}
    for s in loose + briefs:
        name = unbracketed.get(s.doc_id) or company[s.doc_id].split()[0]
        first.setdefault(event_of[s.story_id], set()).add(name)
    shared = sum(len(first[event_of[s.story_id]]) > 1 for s in loose)
    named_shared = sum(len(first[event_of[s.story_id]]) > 1 for s in briefs)
    print(f"\nReuters template briefs: {which} records, {len(briefs)} earnings briefs and dividend notices "
          f"naming their company ({len(briefs) - plain} by ticker, {plain} by name only)")
    print(f"  events holding briefs of more than one company: {len(mixed)} ({sum(map(len, mixed))} briefs), "
          f"{len(untickered)} of them with a company named without a ticker; B-cubed precision of the briefs by "
          f"company {precision:.3f}; largest events {sizes}")
    print(f"  briefs naming no company in brackets: {len(loose)}; {shared} of them share an event with a brief whose "
          f"headline starts with another word (so do {named_shared} of the {len(briefs)} naming one)")


def quality(name: str, files: list[Path], errors: int) -> None:
    labels: dict[str, str] = {}
    n_records = 0
    for f in files:
        got, n = read_labels(f)
        labels.update(got)
        n_records += n
    result, _, _, _ = scan_timed(files)
    stories = result.stories
    truth = [labels[s.doc_id] for s in stories]
    event_of = {sid: e.event_id for e in result.events for sid in e.story_ids}
    pred = [event_of[s.story_id] for s in stories]
    read_docs = {s.doc_id for s in stories}
    docs = [s.title + "\n" + result.clean_text(s) for s in stories]
    tuned, threshold, base_pred = baseline(docs, truth=truth)
    ours = scores(truth, pred)
    print(f"\n{name}: {n_records} records -> {len(result.documents)} documents -> {len(stories)} stories "
          f"({n_records - len(read_docs)} records without text became no story, not scored); "
          f"{len(set(truth))} labels; {len(result.groups)} duplicate groups")
    print(f"  {'':34} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'ARI':>6} {'clusters':>9}")
    ours_name = "newsdedup, default settings" if EVENTS == EventSettings() else "newsdedup, CHANGED settings"
    print(f"  {ours_name:34} " + " ".join(f"{v:6.3f}" for v in ours) + f" {len(set(pred)):9d}")
    print(f"  {f'baseline TUNED (threshold {threshold:.3f})':34} " + " ".join(f"{v:6.3f}" for v in tuned)
          + f" {len(set(base_pred)):9d}")
    dated = sum(1 for s in stories if s.published)
    print(f"  dated stories: {dated} of {len(stories)} "
          f"({Counter(s.date_provenance.value for s in stories if s.published)})")
    if errors:
        show_errors(result, truth, pred, errors)


def show_errors(result, truth, pred, k: int) -> None:
    """The predicted events mixing most labels, and the labels spread over most events."""
    stories = result.stories
    by_event: dict[int, list[int]] = {}
    by_label: dict[str, list[int]] = {}
    for i, (t, p) in enumerate(zip(truth, pred)):
        by_event.setdefault(p, []).append(i)
        by_label.setdefault(t, []).append(i)
    label_of = {e.event_id: e.label for e in result.events}

    def impurity(members, key):
        c = Counter(key[i] for i in members)
        return len(members) - c.most_common(1)[0][1], c

    print("  worst merged events (stories not of the event's main label):")
    for p, members in sorted(by_event.items(), key=lambda kv: -impurity(kv[1], truth)[0])[:k]:
        bad, c = impurity(members, truth)
        print(f"    {bad:4d} wrong of {len(members):4d}  {label_of[p]!r}  labels {dict(c.most_common(5))}")
    print("  worst split labels (stories outside the label's main event):")
    for t, members in sorted(by_label.items(), key=lambda kv: -impurity(kv[1], pred)[0])[:k]:
        bad, c = impurity(members, pred)
        parts = [f"{n}x {label_of[p]!r} {stories[members[0]].published}" for p, n in c.most_common(4)]
        dates = sorted({str(stories[i].published) for i in members})
        print(f"    {bad:4d} of {len(members):4d} {t}: " + "; ".join(parts) + f"  dates {dates[:6]}")


def search_check(result, rows: int = 3000) -> None:
    """The neighbour search beside an exhaustive one on ``rows`` stories of the folder (see ``search_recall``)."""
    texts = [result.clean_text(s) for s in result.stories]
    got = search_recall(*search_inputs(result.stories, texts, result.groups), rows)
    print(f"  neighbour search: holds {got['stage']:.1%} of the {got['stage_links']} links an exhaustive search "
          f"by the stage's rule finds from {rows} stories ({got['stage_ties']:.1%} counting ties), in "
          f"{got['fast']:.1f} s against {got['slow']:.1f} s for all ({got['slow'] / got['fast']:.1f}x faster); of "
          f"the plain nearest neighbours (cosine alone): {got['plain']:.1%} of {got['plain_links']} "
          f"({got['plain_ties']:.1%} counting ties); of the nearest by faded cosine among all (not the stage's "
          f"rule): {got['faded']:.1%} of {got['links']}")


def search_inputs(stories, texts, groups):
    """What the events stage gives its neighbour search: the story vectors, the fade (days, subjects), which
    stories are dated (as ``cluster._grouped`` builds them)."""
    from newsdedup.events.cluster import representative_texts, story_vectors
    from newsdedup.events.subjects import head_figures, same_figures, same_subject, subject_ids
    from newsdedup.events.timing import decay, group_times

    index = {s.story_id: i for i, s in enumerate(stories)}
    reps = [index[g.canonical] for g in groups]
    matrix, _ = story_vectors(representative_texts(stories, texts, reps, EVENTS), EVENTS)
    times = group_times(stories, groups, index)
    heads = [stories[i].title + "\n" + texts[i] for i in reps]
    subjects, figures = subject_ids(heads), head_figures(heads)

    def fade(i, j):
        return decay(times, i, j, EVENTS) * same_subject(subjects, i, j) * same_figures(figures, i, j)

    return matrix, fade, ~np.isnan(times.lo)


def search_recall(matrix, fade, among, rows: int = 3000, seed: int = 0) -> dict:
    """The neighbour search as the scan runs it (``neighbour_edges``, all rows, both lists) beside an
    exhaustive one (every row compared with every row, all words) on ``rows`` stories picked at random, in
    blocks of 64, one thread. Each share is of the exhaustive search's links from those stories (nearest
    neighbours at least ``link_similarity`` alike) that the search's links hold, beside their number:

    - ``stage`` (``stage_links``): the exhaustive search applying the stage's own rule (each story's
      ``CANDIDATES_PER_NEIGHBOUR x k`` most alike by cosine, ranked by their faded cosine, the k best): what
      the search would give if it compared every pair. This is the search's recall;
    - ``plain`` (``plain_links``): the plain nearest neighbours (cosine alone, no fade, one list);
    - ``faded`` (``links``): the k best by faded cosine among every story, a rule the stage does not follow by
      design (see the README: it fades its nearest by cosine only).

    ``*_ties`` count a missed link as held where the search gives that story another link exactly as alike
    instead (see ``_held``). ``fast``: the search's seconds; ``slow``: the exhaustive search's seconds for all
    rows (extrapolated from the sample)."""
    from newsdedup.events.neighbours import CANDIDATES_PER_NEIGHBOUR, _every_row, neighbour_edges

    k, n = EVENTS.link_neighbours, matrix.shape[0]
    started = time.perf_counter()
    found = finish(neighbour_edges(matrix, k, fade, among))
    fast = time.perf_counter() - started
    transposed = matrix.T.tocsr()
    pick = np.sort(np.random.default_rng(seed).choice(n, min(rows, n), replace=False))
    blocks = [pick[s:s + 64] for s in range(0, len(pick), 64)]
    started = time.perf_counter()
    got = [_every_row(matrix[b], transposed, b, k, fade, among) for b in blocks]
    slow = (time.perf_counter() - started) * n / max(len(pick), 1)
    position = np.cumsum(among) - 1
    both = [(found[0], np.arange(n)), (found[1], position)]
    faded = _held([(f, [g[i] for g in got], at) for i, (f, at) in enumerate(both)])
    rule = [stage_links(matrix[b], transposed, b, k, CANDIDATES_PER_NEIGHBOUR * k, fade, among) for b in blocks]
    stage = _held([(f, [g[i] for g in rule], at) for i, (f, at) in enumerate(both)])
    plain = finish(neighbour_edges(matrix, k))
    every = [_every_row(matrix[b], transposed, b, k, None, None)[0] for b in blocks]
    unfaded = _held([(plain, every, np.arange(n))])
    return {"stage": stage[0], "stage_links": stage[1], "stage_ties": stage[2],
            "faded": faded[0], "links": faded[1], "faded_ties": faded[2], "fast": fast, "slow": slow,
            "plain": unfaded[0], "plain_links": unfaded[1], "plain_ties": unfaded[2]}


def stage_links(block, transposed, idx: np.ndarray, k: int, c: int, fade, among) -> list:
    """The stage's rule over every row, for the block of rows ``idx``: each row's ``c`` most alike others by
    cosine (with ``among``, a second list: dated rows among dated rows), ranked by their faded cosine, the
    ``k`` best above 0, as [(rows, others, similarities)] per list."""
    n = transposed.shape[1]
    sim = (block @ transposed).toarray()
    sim[np.arange(len(idx)), idx] = -1.0
    out = []
    for cols in ([None] if among is None else [None, among]):
        s = sim if cols is None else np.where(cols[None, :] & cols[idx, None], sim, -1.0)
        cc = min(c, n - 1)
        top = np.argpartition(-s, cc - 1, axis=1)[:, :cc]
        val = np.take_along_axis(s, top, axis=1)
        if fade is not None:
            val = val * fade(np.repeat(idx, cc).reshape(len(idx), cc), top)
        kk = min(k, cc)
        best = np.argpartition(-val, kk - 1, axis=1)[:, :kk]
        top, val = np.take_along_axis(top, best, axis=1), np.take_along_axis(val, best, axis=1)
        keep = val > 0
        out.append((np.repeat(idx, kk)[keep.ravel()], top[keep], val[keep].astype(np.float32)))
    return out


TIE = 1e-5  # two links this close in similarity are a tie: which of them is a story's k-th is a coin toss


def _held(lists) -> tuple[float, int, float]:
    """Of the exhaustive links at least ``link_similarity`` alike, the share the search's links hold, their
    number, and the share held counting ties: ``lists`` of (the search's (a, b, v), the exhaustive blocks'
    (i, j, v), row numbering).

    A tie: where the exhaustive search links story i to j and the search does not, but links i to some other
    j' (one the exhaustive search did not give i) within ``TIE`` of the same similarity, the link is counted
    as held, each such j' standing in for one missed link. Identical stories (a perturbed copy whose text
    had no rare word to rename is its siblings' twin) make such ties: either search may keep any of them."""
    held = total = tied = 0
    for (a, b, w), blocks, numbered in lists:
        i, j, v = (np.concatenate(x) for x in zip(*blocks))
        keep = v >= EVENTS.link_similarity
        i, j, v = numbered[i[keep]], numbered[j[keep]], v[keep]
        links = set(zip(np.minimum(i, j).tolist(), np.maximum(i, j).tolist()))
        searched = set(zip(a.tolist(), b.tolist()))
        held += len(links & searched)
        total += len(links)
        tied += _ties(i, j, v, a, b, w, searched)
    return held / max(total, 1), total, (held + tied) / max(total, 1)


def _ties(i, j, v, a, b, w, searched) -> int:
    """Missed exhaustive links (i, j, v) that the search's links (a, b, w) of the same story i stand in
    for, one for one, at a similarity within ``TIE``."""
    rows = set(i.tolist())
    given: dict[int, dict[int, float]] = {}
    for x, y, s in zip(a.tolist(), b.tolist(), w.tolist()):
        if s < EVENTS.link_similarity:
            continue
        if x in rows:
            given.setdefault(x, {})[y] = s
        if y in rows:
            given.setdefault(y, {})[x] = s
    exhaustive: dict[int, dict[int, float]] = {}
    for x, y, s in zip(i.tolist(), j.tolist(), v.tolist()):
        exhaustive.setdefault(x, {})[y] = s
    tied = 0
    for x, wanted in exhaustive.items():
        spare = sorted(s for y, s in given.get(x, {}).items() if y not in wanted)
        for y, s in wanted.items():
            if (min(x, y), max(x, y)) in searched:
                continue
            at = bisect.bisect_left(spare, s - TIE)
            if at < len(spare) and spare[at] <= s + TIE:
                spare.pop(at)
                tied += 1
    return tied


def speed(data: Path, baseline_docs: int) -> None:
    files = sorted(data.glob("*/*.jsonl"))
    result, seconds, _, longest = scan_timed(files, trace=False)
    n = len(result.stories)
    texts = [result.clean_text(s) for s in result.stories]
    tracemalloc.start()
    finish(cluster_events(list(result.stories), texts, list(result.groups), EVENTS))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    sizes = sorted((len(e.story_ids) for e in result.events), reverse=True)
    print(f"\nspeed: {len(files)} sets, {len(result.documents)} documents, {n} stories, "
          f"{len(result.groups)} duplicate groups -> {len(result.events)} events "
          f"(largest: {sizes[:5]})")
    print(f"  newsdedup events stage, all {n} stories: {seconds:8.1f} s (untraced), peak {peak / 2**30:.2f} GiB traced; "
          f"longest wait between two progress reports {longest:.2f} s")
    m = min(baseline_docs, n)
    pick = np.linspace(0, n - 1, m).astype(int)
    docs = [result.stories[i].title + "\n" + result.clean_text(result.stories[i]) for i in pick]
    t0 = time.perf_counter()
    baseline(docs, threshold=0.7)
    base_seconds = time.perf_counter() - t0
    tracemalloc.start()
    baseline(docs, threshold=0.7)
    base_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  baseline on {m} evenly spread stories: {base_seconds:8.1f} s (untraced), peak {base_peak / 2**30:.2f} GiB "
          f"traced; newsdedup does {n / m:.1f}x the stories in {seconds / base_seconds:.1f}x the time")
    print(f"  baseline on all {n}: the distance matrix alone is {8 * n * n / 2**30:.1f} GiB (n x n float64), "
          f"plus {4 * n * n / 2**30:.1f} GiB for scipy's condensed copy; quadratic time would be "
          f"~{base_seconds * (n / m) ** 2:.0f} s")
    search_check(result)


def _value(kind: type, text: str):
    """A --set value as its field's type; "none" for a field that may be unset (gap_days)."""
    if text.lower() == "none":
        return None
    if kind is bool:  # bool("false") is True
        return text.lower() in ("1", "true", "yes", "on")
    return int(text) if kind is type(None) else kind(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the eval folder (../shared/eval)")
    ap.add_argument("--no-speed", action="store_true", help="quality only")
    ap.add_argument("--no-quality", action="store_true", help="speed only")
    ap.add_argument("--errors", type=int, default=0, help="print this many worst merged and split events")
    ap.add_argument("--baseline-docs", type=int, default=12000, help="stories the dense baseline is timed on")
    ap.add_argument("--reuters-records", type=int, nargs="*", default=[2000, 0], metavar="N",
                    help="the Reuters briefs rows: the first N records each (0: all of them)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="change one EventSettings field (repeatable); the rows say CHANGED")
    args = ap.parse_args()
    global EVENTS
    kinds = {f.name: type(getattr(EventSettings(), f.name)) for f in dataclasses.fields(EventSettings)}
    changes = dict(item.split("=", 1) for item in args.set)
    EVENTS = EventSettings(**{k: _value(kinds[k], v) for k, v in changes.items()})
    if changes:
        print(f"event settings CHANGED from the defaults: {changes}")
    ecb, wiki = set_file(args.data, "ecbplus"), set_file(args.data, "wikiref")
    if not args.no_quality:
        which = "CHANGED" if changes else "DEFAULT"
        print(f"B-cubed and ARI per story; newsdedup with {which} settings, the baseline TUNED on the same data")
        quality("ecbplus (event labels)", [ecb], args.errors)
        with tempfile.TemporaryDirectory() as tmp:
            quality("ecbplus, only the stories the scan dates, as a dated set", [dated_set(ecb, Path(tmp))],
                    args.errors)
        quality("wikiref (topic labels)", [wiki], args.errors)
        quality("ecbplus + wikiref in one scan", [ecb, wiki], args.errors)
        quality("pac_train (dated, two outlets per happening)", [set_file(args.data, "pac_train")], args.errors)
        for records in args.reuters_records:
            with tempfile.TemporaryDirectory() as tmp:
                template_briefs(set_file(args.data, "reuters21578"), Path(tmp), records or None)
    if not args.no_speed:
        speed(args.data, args.baseline_docs)


if __name__ == "__main__":
    main()
