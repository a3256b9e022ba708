"""The scan: folders in, ScanResult out, one stage after another.

``run_scan`` is a generator: it yields Progress(stage, done, total) as it goes and returns the ScanResult
(as StopIteration.value). A consumer that stops iterating (the GUI's Cancel) stops the scan cleanly
between two yields; nothing is written anywhere by the scan itself. ``scan`` runs it to the end.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import asdict
from pathlib import Path

from newsdedup.dedup.relations import duplicate_groups, find_relations
from newsdedup.dedup.shared import frequency_bytes
from newsdedup.dedup.signatures import shingle_sets, signatures
from newsdedup.events.cluster import cluster_events
from newsdedup.ingest.files import ReadOutcome, read_paths
from newsdedup.model import Progress, ScanResult, Story, finish
from newsdedup.settings import Settings
from newsdedup.stories.build import build_stories
from newsdedup.text import words


def _drain(gen, into: list):
    """Pass on a stage's Progress items and keep its final value in ``into``."""
    for item in gen:
        if isinstance(item, Progress):
            yield item
        else:
            into.append(item)


def run_scan(paths: list[Path], settings: Settings = Settings()) -> Generator[Progress, None, ScanResult]:
    got: list = []
    yield from _drain(read_paths([Path(p) for p in paths], settings.max_file_bytes), got)
    outcome: ReadOutcome = got.pop()
    documents = outcome.documents
    yield from _drain(build_stories(documents, settings.today, settings.boilerplate_across), got)
    stories: list[Story] = got.pop()
    by_doc = {d.doc_id: d for d in documents}
    yield Progress("signatures", 0, len(stories))
    clean = [words(by_doc[s.doc_id].text).within(s.clean_ranges()) for s in stories]
    sets = shingle_sets(clean, settings.duplicates.shingle_size)
    sigs = signatures(sets, settings.duplicates.num_perm, settings.duplicates.seed)
    yield Progress("signatures", len(stories), len(stories))
    yield from _drain(find_relations(stories, sets, sigs, settings.duplicates), got)
    found = got.pop()
    relations = found.relations
    groups = duplicate_groups(stories, sets, relations, settings.duplicates)
    texts = ["\n".join(by_doc[s.doc_id].text[a:b] for a, b in s.clean_ranges()) for s in stories]
    yield from _drain(cluster_events(stories, texts, groups, settings.events), got)
    events = got.pop()
    return ScanResult(documents=documents, stories=tuple(stories), relations=tuple(relations),
                      groups=tuple(groups), events=tuple(events), problems=outcome.problems,
                      files=outcome.files, settings=asdict(settings),
                      common_phrases=frequency_bytes(found.common))


def scan(paths: list[Path], settings: Settings = Settings(),
         on_progress: Callable[[Progress], None] | None = None) -> ScanResult:
    """Run a whole scan, reporting progress to ``on_progress`` if given."""
    return finish(run_scan(paths, settings), on_progress)
