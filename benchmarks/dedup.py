"""Near-duplicates and partial reuse, measured: quality against exact truth, speed against two baselines.

    python benchmarks/dedup.py --eval-dir ../shared/eval          # every *.jsonl set found there
    python benchmarks/dedup.py --data ../shared/eval/bbc_fulltext/bbc_fulltext.jsonl

Quality: per set, the pairs the tool reports (``find_relations``, default settings) against the truth:
exact Jaccard and containment over ALL pairs of stories, by a sparse matrix product (story x shingle, CSR,
X @ X.T a block of rows at a time) over the same shingles the tool uses (clean story text, default
shingle size, stories under ``min_shingles`` left out as the tool leaves them out, partial reuse needing
``reuse_min_shingles`` shared runs as the tool grades it).

Speed: all sets together, clean words in, relations and duplicate groups out, three ways in this one
invocation: the tool; exact all-pairs by sparse product (which is also the truth); and datasketch the
plain way (``MinHash.update`` per shingle, ``MinHashLSH`` insert and query, exact check of what LSH
returns), run on an evenly spread subset and extrapolated linearly, as labelled in the output. Peak memory
is measured by tracemalloc in a second, separate run of each (tracemalloc slows Python code down).

``--judge N`` prints N random partial_reuse pairs of each set with the passages they share, for a person
to read; ``--copies N`` scans N identical records (and N near-identical, N different as the baseline) in
fresh processes: time, peak memory and pair rows (see ``dedup_reuse``).

The records are read here into Documents rather than with ``ingest.read_paths``, which refuses files over
its default size cap; stories, boilerplate and clean text come from the tool's own stages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash, MinHashLSH

from dedup_reuse import copies_of_original, copy_groups, print_sample, reuse_truth
from newsdedup.dedup.relations import (
    COPIES,
    DuplicateSettings,
    duplicate_groups,
    far_apart,
    find_relations,
    grades,
)
from newsdedup.dedup.shared import frequency_of, phrase_frequency, specificity
from newsdedup.model import DateProvenance, Document, Relation, finish
from newsdedup.signatures import shingle_sets, signatures
from newsdedup.stories.build import build_stories
from newsdedup.text import words

REQUIRED = ("reuters21578", "20newsgroups", "bbc_fulltext")


def read_documents(path: Path) -> list[Document]:
    docs = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        rec = json.loads(line)
        text = (rec.get("text") or "").replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():  # as ingest does: a headline-only record is a story of its headline
            text = (rec.get("title") or "").strip()
            if not text:
                continue
        date = rec.get("date")
        published = dt.date.fromisoformat(date[:10]) if date else None
        docs.append(Document(
            doc_id=f"{path.name}#{rec['id']}", path=path.name, root=str(path.parent), record_id=str(rec["id"]),
            text=text, title=rec.get("title") or "", source=rec.get("source") or "", published=published,
            date_provenance=DateProvenance.METADATA if published else DateProvenance.NONE, fmt="jsonl"))
    return docs


def load(path: Path):
    """Stories of one set, the words of their clean text and the clean texts, as the pipeline makes them."""
    docs = read_documents(path)
    stories = finish(build_stories(tuple(docs)))
    by_doc = {d.doc_id: d for d in docs}
    clean = [words(by_doc[s.doc_id].text).within(s.clean_ranges()) for s in stories]
    return stories, clean, [s.clean_text(by_doc[s.doc_id].text) for s in stories]


# ---- the three ways, each: clean words in, related pairs out ---------------------------------------

def tool_way(stories, clean, settings: DuplicateSettings, texts=None):
    """The tool: relations (each copy against its group's original, and partial reuse) and groups;
    ``texts``: the stories' clean texts, which tell series items apart (as the pipeline gives them)."""
    sets = shingle_sets(clean, settings.shingle_size)
    sigs = signatures(sets, settings.num_perm, settings.seed)
    texts_of = None if texts is None else (lambda rows: [texts[i] for i in rows])
    found = finish(find_relations(stories, sets, sigs, settings, texts_of=texts_of))
    groups = duplicate_groups(stories, sets, found.relations, settings)
    return Outcome(stories, sets, found.relations, groups, found.common)


@dataclass
class Outcome:
    stories: list
    sets: object
    relations: list
    groups: list
    common: np.ndarray

    def label(self) -> np.ndarray:
        """Each story's duplicate group."""
        index = {s.story_id: i for i, s in enumerate(self.stories)}
        label = np.empty(len(self.stories), dtype=np.int64)
        for g in self.groups:
            label[[index[m] for m in g.members]] = g.group_id
        return label

    def canonical(self) -> np.ndarray:
        index = {s.story_id: i for i, s in enumerate(self.stories)}
        out = np.zeros(len(self.stories), dtype=bool)
        out[[index[g.canonical] for g in self.groups]] = True
        return out

    def pairs(self, kinds) -> set:
        index = {s.story_id: i for i, s in enumerate(self.stories)}
        return {_key(index[r.story_a], index[r.story_b]) for r in self.relations if r.kind in kinds}


def _all_pairs(sets, settings: DuplicateSettings, rows: int = 2000, common=None):
    """Every pair of stories sharing a shingle, by sparse product a block of rows at a time (memory stays
    bounded): yields arrays (i, j, shared, specific, size_i, size_j) with i < j, stories under min_shingles
    left out; ``specific`` weighs each shared run as the tool does, given the folder's run frequencies."""
    sizes = sets.sizes()
    distinct, column = np.unique(sets.values, return_inverse=True)
    n = len(sizes)
    x = sp.csr_matrix((np.ones(len(column), np.int32), column.ravel(), sets.offsets),
                      shape=(n, int(column.max()) + 1 if len(column) else 0))
    xt = x.T.tocsr()
    weighted = None
    if common is not None:
        weight = specificity(distinct, common, settings.stock_phrase_stories)
        weighted = (x @ sp.diags(weight)).T.tocsr()
    for r0 in range(0, n, rows):
        block = (x[r0:r0 + rows] @ xt).tocoo()
        i, j, shared = block.row + r0, block.col, block.data
        keep = (j > i) & (np.minimum(sizes[i], sizes[j]) >= settings.min_shingles)
        i, j, shared = i[keep], j[keep], shared[keep]
        specific = shared.astype(float)
        if weighted is not None:
            specific = np.asarray((x[r0:r0 + rows] @ weighted)[i - r0, j]).ravel()
        yield i, j, shared, specific, sizes[i], sizes[j]


def exact_way(stories, clean, settings: DuplicateSettings, common=None):
    """Every pair's shared shingle count by sparse product, graded as the tool grades: {(i, j): kind}, and the
    pairs' smaller side in shingles. ``common``: the folder's run frequencies (without: every run counts)."""
    sets = shingle_sets(clean, settings.shingle_size)
    found, smaller, relations = {}, {}, []
    for i, j, shared, specific, a, b in _all_pairs(sets, settings, common=common):
        kind = grades(shared, specific, a, b, settings)
        kind[(kind == "partial_reuse") & far_apart(stories, np.stack((i, j), axis=1), settings.reuse_within_days)] = ""
        related = kind != ""
        with np.errstate(divide="ignore", invalid="ignore"):
            jaccard = shared / (a + b - shared)
        for row in zip(i[related].tolist(), j[related].tolist(), kind[related].tolist(), jaccard[related].tolist(),
                       (shared / a)[related].tolist(), (shared / b)[related].tolist(), shared[related].tolist(),
                       np.minimum(a, b)[related].tolist()):
            found[row[:2]] = row[2]
            smaller[row[:2]] = row[7]
            relations.append(Relation(stories[row[0]].story_id, stories[row[1]].story_id, *row[2:7]))
    duplicate_groups(stories, sets, relations, settings)  # as the tool does, so both make the same output
    return found, smaller


JACCARD_EDGES = (0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
CONTAINMENT_EDGES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.8, 1.0)


def score_bins(clean, settings: DuplicateSettings) -> tuple[np.ndarray, np.ndarray]:
    """Exact pair counts per Jaccard bin (all pairs; the last bin is Jaccard 1.0), and per containment bin
    of the pairs under the near-duplicate Jaccard (the last bin is containment 1.0)."""
    sets = shingle_sets(clean, settings.shingle_size)
    jbins = np.zeros(len(JACCARD_EDGES), np.int64)
    cbins = np.zeros(len(CONTAINMENT_EDGES), np.int64)
    for _, _, shared, _, a, b in _all_pairs(sets, settings):
        jaccard = shared / (a + b - shared)
        contained = shared / np.minimum(a, b)
        jbins += np.bincount(np.searchsorted(JACCARD_EDGES, jaccard, side="right"),
                             minlength=len(JACCARD_EDGES) + 1)[1:]
        below = jaccard < settings.near_duplicate_jaccard
        cbins += np.bincount(np.searchsorted(CONTAINMENT_EDGES, contained[below], side="right"),
                             minlength=len(CONTAINMENT_EDGES) + 1)[1:]
    return jbins, cbins


def print_bins(sets_loaded: dict, settings: DuplicateSettings) -> None:
    """The tables the defaults were chosen from: how many pairs sit near each threshold."""
    table = {name: score_bins(clean, settings) for name, (_, clean, _) in sets_loaded.items()}
    names = list(table)
    print(f"\nExact pairs by Jaccard (all pairs; near_duplicate from {settings.near_duplicate_jaccard})")
    print(f"{'Jaccard':<12}" + "".join(f"{n[:14]:>15}" for n in names))
    for k, lo in enumerate(JACCARD_EDGES):
        label = "1.0 (exact)" if lo == 1.0 else f"{lo:.2f}-{JACCARD_EDGES[k + 1]:.2f}"
        print(f"{label:<12}" + "".join(f"{table[n][0][k]:>15}" for n in names))
    print(f"\nExact pairs under Jaccard {settings.near_duplicate_jaccard} by containment of the smaller story "
          f"(partial_reuse from {settings.partial_reuse_containment}, with >= {settings.reuse_min_shingles} "
          f"shared runs; the table counts all pairs)")
    print(f"{'containment':<12}" + "".join(f"{n[:14]:>15}" for n in names))
    for k, lo in enumerate(CONTAINMENT_EDGES):
        label = "1.0" if lo == 1.0 else f"{lo:.2f}-{CONTAINMENT_EDGES[k + 1]:.2f}"
        print(f"{label:<12}" + "".join(f"{table[n][1][k]:>15}" for n in names))


def plain_way(stories, clean, settings: DuplicateSettings):
    """datasketch as its README shows it: MinHash.update per shingle, MinHashLSH at the report threshold."""
    num_perm = settings.num_perm
    sets = shingle_sets(clean, settings.shingle_size)
    sizes = sets.sizes()
    usable = [i for i in range(len(sizes)) if sizes[i] >= settings.min_shingles]
    lsh = MinHashLSH(threshold=settings.near_duplicate_jaccard, num_perm=num_perm)
    minhashes = {}
    for i in usable:
        m = MinHash(num_perm=num_perm, seed=settings.seed)
        for shingle in sets.of(i).tolist():
            m.update(shingle.to_bytes(8, "little"))
        minhashes[i] = m
        lsh.insert(i, m)
    found = {}
    for i in usable:
        for j in lsh.query(minhashes[i]):
            if j > i:
                a, b = sets.of(i), sets.of(j)
                shared = len(np.intersect1d(a, b, assume_unique=True))
                jaccard = shared / (len(a) + len(b) - shared)
                contained = shared / min(len(a), len(b))
                kind = ("exact" if jaccard >= 1.0 else "near_duplicate" if jaccard >= settings.near_duplicate_jaccard
                        else "partial_reuse" if (contained >= settings.partial_reuse_containment
                                                 and shared >= settings.reuse_min_shingles) else "")
                if kind:
                    found[(i, j)] = kind
    return found


def _key(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


# ---- measuring --------------------------------------------------------------------------------------

def precision_recall(got: set, want: set) -> tuple[float, float]:
    hit = len(got & want)
    return (hit / len(got) if got else 1.0), (hit / len(want) if want else 1.0)


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def peak_memory(fn, *args) -> int:
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def quality(sets_loaded: dict, settings: DuplicateSettings) -> dict:
    """Copies and partial reuse against exact truth over all pairs, graded as the tool grades (the folder's
    run frequencies taken from the tool's own run, so partial reuse means the same on both sides)."""
    print("\nQuality, default settings. Copies: a pair at exact Jaccard >= the near-duplicate line is found when "
          "the two land in one duplicate group (the tool lists each copy against its group's original, not every "
          "pair); group precision: the pairs inside a group that are copies by their own exact scores "
          "(exact, near_duplicate or copy_with_changes); member precision: the members that are copies of their "
          "group's original so. Partial reuse: between groups' original members, series items left out. "
          "Mostly stock: reported partial_reuse pairs over half of whose shared runs stand in >= 10 records.")
    print(f"{'set':<14}{'stories':>8}{'J>=0.8':>8}{'recall':>8}{'rec>=20':>8}{'grp prec':>9}{'mem prec':>9}"
          f"{'rows':>7}{'reuse':>7}{'found':>7}{'prec':>7}{'recall':>8}{'stock':>7}")
    outcomes = {}
    for name, (stories, clean, texts) in sets_loaded.items():
        tool = tool_way(stories, clean, settings, texts)
        truth, smaller = exact_way(stories, clean, settings, tool.common)
        outcomes[name] = tool
        label = tool.label()
        near = [p for p, k in truth.items() if k in ("exact", "near_duplicate")]
        together = [bool(label[i] == label[j]) for i, j in near]
        big = [t for t, p in zip(together, near) if smaller[p] >= 20]
        group_sizes = np.bincount(label)
        implied = int((group_sizes * (group_sizes - 1) // 2).sum())
        copies_inside = sum(1 for (i, j), k in truth.items() if k in COPIES and label[i] == label[j])
        want, members, got = reuse_truth(tool, truth, texts), copies_of_original(tool, truth), tool.pairs(("partial_reuse",))
        precision, recall = precision_recall(got, want)
        stock = mostly_stock(tool, records=10)
        print(f"{name[:13]:<14}{len(stories):>8}{len(near):>8}{_share(together):>8.4f}{_share(big):>8.4f}"
              f"{(copies_inside / implied if implied else 1.0):>9.4f}{_share(members):>9.4f}{len(tool.pairs(COPIES)):>7}"
              f"{len(want):>7}{len(got):>7}{precision:>7.3f}{recall:>8.3f}{stock:>7.1%}")
    return outcomes


def _share(flags: list) -> float:
    return sum(flags) / len(flags) if flags else 1.0


def mostly_stock(tool: Outcome, records: int) -> float:
    """Share of the reported partial_reuse pairs over half of whose shared runs stand in >= ``records``
    stories of the set (every record counted, copies too)."""
    pairs = sorted(tool.pairs(("partial_reuse",)))
    if not pairs:
        return 0.0
    sets = tool.sets
    frequency = phrase_frequency(sets, np.ones(len(sets.offsets) - 1, dtype=bool))
    mostly = 0
    for i, j in pairs:  # a few thousand pairs at most: a loop over pairs, not over runs
        shared = np.intersect1d(sets.of(i), sets.of(j), assume_unique=True)
        mostly += int(2 * (frequency_of(shared, frequency) >= records).sum() > len(shared))
    return mostly / len(pairs)


def speed(stories, clean, settings: DuplicateSettings, plain_docs: int, repeat: int) -> None:
    n = len(stories)
    print(f"\nSpeed, dedup stage (clean words in, relations and groups out), all sets together: {n} stories; "
          f"best of {repeat} for the tool and exact, one run for plain datasketch")
    t_tool = t_exact = float("inf")
    for _ in range(repeat):  # interleaved, best of each: the machine is shared and noisy
        tool, seconds = timed(tool_way, stories, clean, settings)
        t_tool = min(t_tool, seconds)
        exact, seconds = timed(exact_way, stories, clean, settings)
        t_exact = min(t_exact, seconds)
    step = max(1, n // plain_docs)
    sub = list(range(0, n, step))[:plain_docs]
    sub_stories, sub_clean = [stories[i] for i in sub], [clean[i] for i in sub]
    plain, t_plain_sub = timed(plain_way, sub_stories, sub_clean, settings)
    t_plain = t_plain_sub * n / len(sub)
    m_tool = peak_memory(tool_way, stories, clean, settings)
    m_exact = peak_memory(exact_way, stories, clean, settings)
    m_plain = peak_memory(plain_way, sub_stories, sub_clean, settings)
    label = tool.label()
    near = [p for p, k in exact[0].items() if k in ("exact", "near_duplicate")]
    sub_near = {p for p, k in exact_way(sub_stories, sub_clean, settings)[0].items() if k in ("exact", "near_duplicate")}
    plain_near = {p for p, k in plain.items() if k in ("exact", "near_duplicate")}
    print(f"{'way':<44}{'seconds':>9}{'docs/s':>9}{'peak MB':>9}  recall of pairs at Jaccard >= the copy line")
    rows = [
        ("newsdedup (bulk MinHash, LSH bands, samples)", t_tool, m_tool,
         _share([bool(label[i] == label[j]) for i, j in near])),
        ("exact all pairs (sparse X @ X.T)", t_exact, m_exact, 1.0),
        (f"plain datasketch, {len(sub)} stories, x{n / len(sub):.1f} (extrapolated)", t_plain, m_plain,
         precision_recall(plain_near, sub_near)[1]),
    ]
    for name, secs, mem, rec in rows:
        print(f"{name:<44}{secs:>9.2f}{n / secs:>9.0f}{mem / 2**20:>9.0f}  {rec:.4f}")
    print(f"(plain datasketch peak memory is for its {len(sub)}-story subset, not extrapolated)")
    print(f"ratio: newsdedup is {t_plain / t_tool:.1f}x plain datasketch (target >= 20x), "
          f"{t_exact / t_tool:.2f}x exact all pairs (target > 1)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, nargs="*", default=[], help="JSON Lines sets to measure")
    ap.add_argument("--eval-dir", type=Path, help="a folder whose */*.jsonl sets are all measured")
    ap.add_argument("--plain-docs", type=int, default=3000, help="subset size for plain datasketch")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of the tool and of exact (best kept)")
    ap.add_argument("--no-speed", action="store_true", help="quality only")
    ap.add_argument("--no-bins", action="store_true", help="leave out the pair counts by score bin")
    ap.add_argument("--judge", type=int, default=0, metavar="N",
                    help="print N random partial_reuse pairs of each set with their shared passages, to read")
    ap.add_argument("--seed", type=int, default=17, help="which random pairs --judge prints")
    ap.add_argument("--copies", type=int, default=0, metavar="N",
                    help="scan N identical, N near-identical and N different records (time, memory, rows)")
    args = ap.parse_args(argv)
    paths = list(args.data) + (sorted(args.eval_dir.glob("*/*.jsonl")) if args.eval_dir else [])
    if args.copies:
        copy_groups(args.copies)
    if not paths:
        if args.copies:
            return 0
        ap.error("give --data FILE... or --eval-dir FOLDER (or --copies N)")
    settings = DuplicateSettings()
    print(f"settings: {settings}")
    loaded = {}
    for path in paths:
        start = time.perf_counter()
        loaded[path.stem] = load(path)
        print(f"read {path.name}: {len(loaded[path.stem][0])} stories "
              f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    outcomes = quality(loaded, settings)
    for path in paths if args.judge else ():
        stories, clean, _ = loaded[path.stem]
        texts = {d.doc_id: d.text for d in read_documents(path)}
        print_sample(path.stem, stories, clean, texts, outcomes[path.stem].relations, args.judge, args.seed)
    if not args.no_bins:
        print_bins(loaded, settings)
    if not args.no_speed:
        stories = [s for st, _, _ in loaded.values() for s in st]
        clean = [c for _, cl, _ in loaded.values() for c in cl]
        speed(stories, clean, settings, args.plain_docs, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
