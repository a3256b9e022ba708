"""The scan, one stage after another, and the tail that every way of making a result shares.

Every step is a stage (see docs/architecture.md): a generator that yields ``Progress`` and returns its
value, called with ``yield from``; a consumer that stops iterating (the GUI's Cancel) stops it cleanly
between two yields, and nothing is written anywhere by the stages themselves. ``model.finish`` runs one
to its end.

``run_scan`` reads the paths, makes the stories and runs ``tail``: clean words, shingles, signatures,
relations, duplicate groups and events, under the user's decisions. A rescan (``workspace.rescan``),
applying decisions (``run_apply_decisions``) and regrouping under new thresholds (``regroup``) run the
same ``tail`` and differ from a scan only in what they feed it: the stories they kept, the signatures,
shingle sets or relations that are still good, and the decisions.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from newsdedup import batches
from newsdedup import settings as scan_settings
from newsdedup.corrections.apply import applied_stories, decided_groups_and_events, decided_spans
from newsdedup.corrections.decisions import Decision
from newsdedup.dedup.relations import find_relations
from newsdedup.dedup.shared import frequency_bytes
from newsdedup.events.incremental import Earlier
from newsdedup.events.words import WordBags
from newsdedup.ingest.walk import named_files
from newsdedup.memory import give_back
from newsdedup.model import (
    Document,
    DuplicateGroup,
    Event,
    Progress,
    Relation,
    ScanResult,
    Steps,
    Story,
    finish,
    mapped,
)
from newsdedup.pool import Pool
from newsdedup.settings import Settings
from newsdedup.signatures import ShingleSets, shingle_sets, signature_steps
from newsdedup.stories.build import infer_years
from newsdedup.stories.clean import clean_texts, clean_words
from newsdedup.stories.outlet_boilerplate import joined, outlet_boilerplate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """What the tail finds: the relations, groups and events, and what it made them from."""

    relations: tuple[Relation, ...]
    groups: tuple[DuplicateGroup, ...]
    events: tuple[Event, ...]
    edits: dict  # story id -> the edit words of the decisions that changed it
    sets: ShingleSets
    common: np.ndarray | None  # the run frequencies relations were graded with; None: relations were given


def tail(documents: Mapping[str, Document], stories: Sequence[Story], settings: Settings,
         decisions: Sequence[Decision] = (), edits: dict[str, set[str]] | None = None, *,
         sets: ShingleSets | None = None, sigs: np.ndarray | None = None,
         relations: Sequence[Relation] | None = None, earlier: Earlier | None = None,
         words: WordBags | None = None, workers: int | None = None) -> Steps[Found]:
    """From stories to relations, duplicate groups and events, under ``decisions``.

    Give what is still good and it is not made again: ``sets`` (shingle sets of the stories' clean text),
    ``sigs`` (their MinHash signatures), ``relations`` (scored pairs graded under ``settings``).
    ``edits`` carries the edit words the boilerplate decisions already gave. ``earlier`` (a rescan's last
    events and its changed stories) keeps the events the changes did not touch (see ``events.incremental``).
    """
    dup = settings.duplicates
    common = None
    if sets is None:
        sets = yield from _shingled(documents, stories, dup.shingle_size)
    texts = clean_texts(documents, stories)
    if relations is None:
        if sigs is None:
            sigs = yield from signature_steps(sets, dup.num_perm, dup.seed)
        give_back()
        graded = yield from find_relations(list(stories), sets, sigs, dup,
                                           texts_of=lambda rows: [texts[i] for i in rows], workers=workers)
        relations, common = graded.relations, graded.common
        del graded, sigs  # 0.5 GB at a million stories, not needed by the events
    log.info("%d stories: %d related pairs", len(stories), len(relations))
    give_back()
    groups, events, edit_words = yield from decided_groups_and_events(
        list(stories), texts, sets, list(relations), list(decisions), dup, settings.events, edits, earlier, words,
        workers)
    log.info("%d duplicate groups, %d events", len(groups), len(events))
    return Found(tuple(relations), tuple(groups), tuple(events), edit_words, sets, common)


def _shingled(documents: Mapping[str, Document], stories: Sequence[Story], shingle_size: int,
              step: int = 5000) -> Steps[ShingleSets]:
    """A stage ("signatures"): the shingle sets of the stories' clean words, ``step`` stories at a time (a
    story's set is its own: the parts put end to end are the whole's)."""
    parts = []
    yield Progress("signatures", 0, len(stories))
    for lo in range(0, len(stories), step):
        part = stories[lo:lo + step]
        parts.append(shingle_sets(clean_words(documents, part), shingle_size))
        yield Progress("signatures", lo + len(part), len(stories))
    if len(parts) == 1:
        return parts[0]
    values = np.concatenate([p.values for p in parts] or [np.zeros(0, np.uint64)])
    sizes = np.concatenate([p.sizes() for p in parts] or [np.zeros(0, np.int64)])
    return ShingleSets(values, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))


def run_scan(paths: Sequence[Path | str], settings: Settings = Settings(), workers: int | None = None
             ) -> Steps[ScanResult]:
    """The whole scan of ``paths`` (folders or files): a stage that returns the ScanResult.

    The per-document work (reading, stories, their words, shingles and signatures) runs in batches on
    ``workers`` processes (None: every core; 1: in this process), with the same result however many."""
    found = list(named_files([Path(p) for p in paths], settings.follow_links))
    with Pool(workers) as pool:
        read = yield from batches.read_files(pool, found, settings.max_file_bytes, settings.boilerplate_across)
        documents = tuple(d for b in read for d in b.documents)
        problems = tuple(p for b in read for p in b.problems)
        files = tuple(f for b in read for f in b.files)
        log.info("read %d files: %d documents, %d problems", len(files), len(documents), len(problems))
        for problem in problems:
            log.debug("problem: %s: %s %s", problem.path, problem.reason, problem.detail)
        by_id = {d.doc_id: d for d in documents}
        paragraphs = joined([b.paragraphs for b in read], settings.boilerplate_across.num_perm)
        stories = yield from outlet_boilerplate(documents, [s for b in read for s in b.stories],
                                                settings.boilerplate_across, paragraphs)
        del read, paragraphs
        give_back()
        signed = yield from _signed(pool, stories, by_id, settings)
    stories = infer_years(signed[0], signed[1], settings.today)
    steps = tail(by_id, stories, settings, sets=signed[2], sigs=signed[3], words=signed[4], workers=workers)
    del signed  # the signatures are the tail's alone: it lets go of them once the candidates are found
    found_ = yield from steps
    return ScanResult(documents=documents, stories=tuple(stories), relations=found_.relations,
                      groups=found_.groups, events=found_.events, problems=problems,
                      files=files, settings=asdict(settings),
                      common_phrases=frequency_bytes(found_.common))


def _signed(pool: Pool, stories: list[Story], by_id: dict[str, Document], settings: Settings) -> Steps[tuple]:
    """Stories described, and their shingle sets, signatures and bags of words, in batches on the pool's
    workers: (stories, partial dates by story number, sets, signatures, bags of words)."""
    chunks = batches.story_batches(stories, by_id)
    done = yield from pool.map("signatures", batches.sign_batch, chunks, [len(c[1]) for c in chunks],
                               today=settings.today, settings=settings.duplicates,
                               title_weight=settings.events.title_weight)
    described: list[Story] = []
    partials: list = []
    for b in done:
        partials.extend((len(described) + k, p) for k, p in b.partials)
        described.extend(b.stories)
    sets, sigs = yield from mapped(batches.joined_set_steps(done, settings.duplicates.num_perm),
                                   lambda _: Progress("signatures", len(stories), len(stories)))
    return described, partials, sets, sigs, WordBags(counted={k: v for b in done for k, v in b.bags.items()})


def scan(paths: Sequence[Path | str], settings: Settings = Settings(),
         on_progress: Callable[[Progress], None] | None = None, workers: int | None = None) -> ScanResult:
    """Run a whole scan, reporting progress to ``on_progress`` if given (``workers``: see ``run_scan``)."""
    return finish(run_scan(paths, settings, workers), on_progress)


def run_apply_decisions(result: ScanResult, decisions: Sequence[Decision], sets: ShingleSets | None = None
                        ) -> Steps[ScanResult]:
    """``result`` as the decisions make it, without reading a file (see ``corrections.apply``).

    Boilerplate decisions change spans: the stories they touch read differently, so their relations are
    found again. Otherwise the result's relations stand, and ``sets`` (``regroup.Similarities.sets``)
    spares re-tokenising the stories when they are of these very stories.
    """
    settings = scan_settings.from_dict(result.settings)
    documents = {d.doc_id: d for d in result.documents}
    yield Progress("decisions", 0, 1)
    stories, edits, moved = applied_stories(list(result.stories), documents, list(decisions))
    relations: Sequence[Relation] | None = list(result.relations)
    if moved:
        sets, relations = None, None
    elif sets is None or len(sets.offsets) != len(stories) + 1 or decided_spans(result.stories, decisions):
        sets = None  # given sets may be of the stories before (or after) a boilerplate decision
    found = yield from tail(documents, stories, settings, decisions, edits, sets=sets, relations=relations)
    yield Progress("decisions", 1, 1)
    common = result.common_phrases if found.common is None else frequency_bytes(found.common)
    return dataclasses.replace(result, stories=tuple(stories), relations=found.relations, groups=found.groups,
                               events=found.events, edits=found.edits, common_phrases=common)


def apply_decisions(result: ScanResult, decisions: Sequence[Decision], sets: ShingleSets | None = None
                    ) -> ScanResult:
    """``result`` as the decisions make it (see ``run_apply_decisions``)."""
    return finish(run_apply_decisions(result, decisions, sets))
