"""Rescanning a workspace: read only what changed, redo only what depends on it, save in one transaction.

``run_rescan(path, paths=None, settings=None, counts=None)`` is a generator like ``pipeline.run_scan``: it
yields Progress and returns the ScanResult. It opens (or creates) the workspace at ``path`` with its own
connection, adds ``paths`` to its folders, and saves everything in one transaction at the end, so a
scan that is cancelled (the consumer stops iterating) or killed leaves the last saved state. ``counts``
(a ``RescanCounts``) is filled in with what was read and what was reused.

What is redone, and why:
- files: see ``changed_files`` (size and mtime, then content hash); documents come from the workspace for
  unchanged files, so no article is opened;
- per document (its stories and the boilerplate found in it alone): only for new and changed files;
- boilerplate repeated across an outlet depends on all of that outlet's documents, and on nothing else
  (``outlet_boilerplate`` joins near-duplicate stories within an outlet only): the pass runs again over
  every document of each outlet that gained, lost or changed a document, with the paragraphs' signatures
  saved for the unchanged ones, and the other outlets keep their saved spans. So it marks what a scan of
  all marks. All outlets are redone when the outlet settings change. A span's support (how many documents
  carry it) moves with any file of its outlet added or removed; the story's text does not, so its title,
  dates and signature are kept;
- the user's boilerplate decisions, titles and word counts: for stories whose spans changed; years
  inferred from a weekday are inferred again for all (they lean on the whole corpus's dates);
- signatures: reused for stories whose clean text is unchanged (same document, same spans, same
  settings), computed for the rest; relations and duplicate groups are made again from all stories, under
  the user's decisions; events too, unless the stories are those the last scan grouped and the decisions
  and event settings are the same: then only near the edited stories (``INCREMENTAL_EVENTS``).
When nothing changed (files, settings, decisions) the saved result is returned as it was saved.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from newsdedup import settings as scan_settings
from newsdedup.corrections.boilerplate import applied
from newsdedup.dedup.shared import frequency_bytes
from newsdedup.events.incremental import Earlier
from newsdedup.events.words import WordBags
from newsdedup.model import (
    BoilerplateSpan,
    DateProvenance,
    Document,
    Progress,
    ScanResult,
    Steps,
    Story,
    finish,
)
from newsdedup.pipeline import tail
from newsdedup.settings import Settings
from newsdedup.signatures import (
    ShingleSets,
    shingle_sets,
    shingles_from_bytes,
    shingles_to_bytes,
    signatures,
    signatures_from_bytes,
    signatures_to_bytes,
)
from newsdedup.stories.boilerplate import REPEATED_ACROSS_OUTLET
from newsdedup.stories.build import describe, document_stories, infer_years
from newsdedup.stories.clean import clean_words
from newsdedup.stories.outlet_boilerplate import (
    joined,
    outlet_boilerplate,
    paragraphs_from_bytes,
    paragraphs_of,
    paragraphs_to_bytes,
    per_story,
)
from newsdedup.text import words
from newsdedup.workspace import saved_scan
from newsdedup.workspace.changes import Changes, RescanCounts, find_changes
from newsdedup.workspace.saved_scan import SavedDocument, SavedStory
from newsdedup.workspace.store import Workspace, WorkspaceError

log = logging.getLogger(__name__)

# Events made again only near what changed (``events.incremental``) when the stories are the ones the last
# scan grouped (files edited, none added or removed), as measured with benchmarks/rescan.py (5,000 files):
# 50 edited, B-cubed F1 .9991 against a fresh scan of the edited folder, as the first scan's own events
# agree with it. Stories added or removed move a fresh scan's events far from where they stood (16 added
# and 16 removed: the first scan's events against the fresh scan's .976; 16 stories taken out of a
# scanned folder: the others' events .985 against before), so then every event is made again, exactly
# as a scan makes them. Off: always so.
INCREMENTAL_EVENTS = True

__all__ = ["RescanCounts", "rescan", "run_load", "run_rescan"]


def decisions_digest(ws: Workspace) -> str:
    rows = ws.connection.execute("SELECT decision_id, kind, payload FROM decisions ORDER BY decision_id").fetchall()
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def _overlay(document_spans: tuple[BoilerplateSpan, ...], outlet_spans: tuple[BoilerplateSpan, ...]
             ) -> tuple[BoilerplateSpan, ...]:
    """The spans found: the document's own, with the outlet pass's over them (as ``outlet_boilerplate``
    marks them)."""
    if not outlet_spans:
        return document_spans
    spans = {(b.start, b.end): b for b in document_spans}
    for b in outlet_spans:
        spans[(b.start, b.end)] = b
    return tuple(sorted(spans.values(), key=lambda b: b.start))


def _cut(boilerplate: tuple[BoilerplateSpan, ...]) -> tuple[tuple[int, int, str, bool], ...]:
    """What of a story's boilerplate its title, dates and clean text depend on: where each span lies, of
    what kind, and whether the user kept it as text; not its support (how many documents carry it),
    which any file of the outlet added or removed moves by one, for every story that carries it."""
    return tuple((b.start, b.end, b.kind, b.kept) for b in boilerplate)


def _per_document(docs: list[SavedDocument], counts: RescanCounts) -> Generator[Progress, None, None]:
    for n, saved in enumerate(docs):
        saved.stories = [SavedStory(s, document_spans=s.boilerplate) for s in document_stories(saved.document)]
        if n % 32 == 0:
            yield Progress("stories", n + 1, len(docs))
    counts.documents_read = len(docs)
    yield Progress("stories", len(docs), len(docs))


def _outlet_pass(docs: list[SavedDocument], outlets: set[str], settings: Settings, reuse: bool,
                 counts: RescanCounts) -> Steps[None]:
    """Layer 1 (spans repeated across an outlet) again for every story of ``outlets``. The paragraphs'
    signatures are made for the stories that have none saved (new, changed, or all when not ``reuse``)
    and kept with each story: at 50 of 5,000 files edited, making them for every story of the outlets
    touched was a third of the rescan."""
    across = settings.boilerplate_across
    chosen = [d for d in docs if d.document.source in outlets]
    flat = [s for d in chosen for s in d.stories]
    # as a scan gives them to the pass: the document's outlet, not the one a saved story's dateline named
    # ("Reuters" in a file of folder reuters21578: 15 of 5,000 stories were marked otherwise than a scan does)
    stories = [dataclasses.replace(s.story, boilerplate=s.document_spans, source=d.document.source)
               for d in chosen for s in d.stories]
    parts = [paragraphs_from_bytes(s.paragraphs, across.num_perm) if reuse and s.paragraphs else None
             for s in flat]
    need = [k for k, part in enumerate(parts) if part is None]
    counts.stories_paragraphed = len(need)
    if need:
        made = per_story(paragraphs_of({d.document.doc_id: d.document for d in chosen},
                                       [stories[k] for k in need], across))
        for k, part in zip(need, made):
            parts[k] = part
            flat[k].paragraphs = paragraphs_to_bytes(part)
    found = yield from outlet_boilerplate(tuple(d.document for d in chosen), stories, across,
                                          joined([p for p in parts if p is not None], across.num_perm))
    for saved, story in zip(flat, found):
        saved.outlet_spans = tuple(b for b in story.boilerplate if b.kind == REPEATED_ACROSS_OUTLET)


def _describe(docs: list[SavedDocument], shown: list[Story], before: list[Story | None], today
              ) -> Steps[list[Story]]:
    """Stories with title, dates and word counts: reused where the spans are as before."""
    out: list[Story] = []
    partials = []
    k = 0
    for n, saved in enumerate(docs):
        doc_words = None
        for s in saved.stories:
            old = before[k]
            if old is not None and _cut(old.boilerplate) == _cut(shown[k].boilerplate):
                story = dataclasses.replace(old, boilerplate=shown[k].boilerplate)  # supports as counted now
                partial = s.partial
                # dates that depend on the folder's other dates are decided again (see ``infer_years``)
                if story.date_provenance == DateProvenance.INFERRED or partial is not None:
                    story = dataclasses.replace(story, published=None, date_provenance=DateProvenance.NONE)
            else:
                doc_words = doc_words if doc_words is not None else words(saved.document.text)
                story, partial = describe(saved.document, shown[k], doc_words, today)
                s.partial = partial
            if partial is not None and story.published is None:
                partials.append((len(out), partial))
            out.append(story)
            k += 1
        if n % 256 == 0:
            yield Progress("stories", n + 1, len(docs))
    return infer_years(out, partials, today)


def _signatures(documents: dict[str, Document], stories: list[Story], reusable: list[bytes | None],
                saved_sets: list[bytes | None], settings: Settings, counts: RescanCounts
                ) -> tuple[ShingleSets, list[bytes], np.ndarray]:
    """Shingle sets of every story (and as bytes, to save) and signatures: the saved ones where still
    good, made for the rest."""
    dup = settings.duplicates
    kept = [b if sig is not None else None for b, sig in zip(saved_sets, reusable)]
    need_sets = [i for i, b in enumerate(kept) if b is None]
    made = iter(shingles_to_bytes(shingle_sets(clean_words(documents, [stories[i] for i in need_sets]),
                                               dup.shingle_size)) if need_sets else ())
    blobs = [b if b is not None else next(made) for b in kept]
    sets = shingles_from_bytes(blobs)
    counts.stories_shingled = len(need_sets)
    sigs = np.empty((len(stories), dup.num_perm), dtype=np.uint32)
    need = [i for i, sig in enumerate(reusable) if sig is None]
    have = [i for i, sig in enumerate(reusable) if sig is not None]
    if have:
        sigs[have] = signatures_from_bytes(b"".join(reusable[i] or b"" for i in have), dup.num_perm)
    if need:
        sigs[need] = signatures(sets.take(need), dup.num_perm, dup.seed)  # the sets made above, not made again
    counts.stories_fingerprinted = len(need)
    return sets, blobs, sigs


def _same(a: Settings, b: Settings, *parts: str) -> bool:
    return all(getattr(a, p) == getattr(b, p) for p in parts)


def run_rescan(path: Path | str, paths: Sequence[Path] = (), settings: Settings | None = None,
               counts: RescanCounts | None = None) -> Steps[ScanResult]:
    counts = counts if counts is not None else RescanCounts()
    ws = Workspace.open_or_create(path)
    try:
        return (yield from _rescan(ws, [Path(p) for p in paths], settings, counts))
    finally:
        ws.close()


def _rescan(ws: Workspace, paths: list[Path], settings: Settings | None, counts: RescanCounts):
    if ws.read_only:
        raise WorkspaceError(f"{ws.path} is read-only ({ws.read_only_reason}); it cannot be rescanned. "
                             "Save it as a writable copy first")
    if paths:
        ws.add_folders(paths)
    folders = ws.folders()
    if not folders and not ws.value("scanned"):  # (all folders removed after a scan: an empty result)
        raise WorkspaceError(f"{ws.path} has no folders yet; give a folder of articles to scan")
    old_settings_text = ws.value("scan_settings")
    old_settings = scan_settings.from_json(old_settings_text)
    settings = settings or old_settings
    ws.connection.execute("BEGIN")  # the decisions and their digest from one snapshot: the GUI may add one now
    try:
        decisions = ws.decisions()
        digest = decisions_digest(ws)
        generation = ws.value("scan_generation", "0")
    finally:
        ws.connection.execute("COMMIT")
    yield Progress("open", 0, 1)
    saved = saved_scan.load_files(ws.connection, with_cache=True)
    yield Progress("open", 1, 1)
    scanned = bool(ws.value("scanned"))
    reread = scanned and not _same(settings, old_settings, "max_file_bytes", "follow_links")
    changes = yield from find_changes(folders, saved, settings.max_file_bytes, reread, counts, settings.follow_links)
    docs = [d for f in changes.files for d in f.documents]
    stale = [d for f in changes.files if f.file_id for d in f.documents if not d.cached]
    nothing_changed = (scanned and not changes.fresh and not changes.removed and not stale
                       and [f.file_id for f in changes.files] == [f.file_id for f in saved]  # same order
                       and scan_settings.to_json(settings) == old_settings_text
                       and ws.value("decisions_digest") == digest)
    if nothing_changed:
        log.info("%s: nothing changed since the last scan", ws.path)
        counts.documents_reused = len(docs)
        result = saved_scan.result_of(changes.files, saved_scan.load_outcome(ws.connection))
        if any(f.touched for f in changes.files):
            with _saving(ws, generation) as conn:
                yield from saved_scan.save_files(conn, changes.files, [])
        return dataclasses.replace(result, problems=tuple(changes.problems) + result.problems)
    # the saved events stand where nothing near them changed, under the same decisions and event settings
    same_events = (INCREMENTAL_EVENTS and scanned and ws.value("decisions_digest") == digest
                   and _same(settings, old_settings, "events"))
    earlier = saved_scan.load_outcome(ws.connection)["events"] if same_events else None
    words = WordBags(saved_scan.load_event_words(ws.connection),
                     frequencies=saved_scan.load_word_frequencies(ws.connection, settings.events.language))
    result = yield from _redo(changes, docs, stale, settings, old_settings, decisions, counts, earlier, words)
    counts.words_counted = words.counted
    counts.words_looked_up = len(words.new_frequencies())
    result = dataclasses.replace(result, problems=tuple(changes.problems) + result.problems)
    with _saving(ws, generation) as conn:
        yield from saved_scan.save_files(conn, changes.files, [f.file_id for f in changes.removed])
        saved_scan.save_outcome(conn, result)
        saved_scan.save_event_words(conn, words.unused(), words.new())
        saved_scan.save_word_frequencies(conn, settings.events.language, words.new_frequencies())
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('scan_settings', ?)", (scan_settings.to_json(settings),))
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('decisions_digest', ?)", (digest,))
    return result


@contextmanager
def _saving(ws: Workspace, generation: str):
    """The rescan's one write transaction, refused if another rescan saved since this one read the
    workspace (two at once: the later one would save files the first one saved already)."""
    with ws.transaction() as conn:
        if conn.execute("SELECT value FROM settings WHERE key = 'scan_generation'").fetchone() != (
                None if generation == "0" else (generation,)):
            raise WorkspaceError(f"{ws.path} was rescanned by another newsdedup while this rescan ran; this "
                                 "one saved nothing. Rescan again (it reuses what the other one saved)")
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('scan_generation', ?)", (str(int(generation) + 1),))
        yield conn


def _redo(changes: Changes, docs: list[SavedDocument], stale: list[SavedDocument], settings: Settings,
          old_settings: Settings, decisions, counts: RescanCounts, earlier_events=None,
          words: WordBags | None = None) -> Steps[ScanResult]:
    """The saved documents' stories made again where their files changed, then the pipeline's tail (with
    ``earlier_events``, the saved events: only those near a changed story are made again)."""
    fresh_docs = [d for f in changes.fresh for d in f.documents] + stale
    counts.documents_reused = len(docs) - len(fresh_docs)
    redone = {d.document.doc_id for d in fresh_docs}
    # what was saved of each story, keyed by its document's row and its place in it (fresh stories have none)
    before = {_key(d, s): (s.story, s.outlet_spans, s.partial, s.signature, s.paragraphs, s.shingles)
              for d in docs if d.document.doc_id not in redone for s in d.stories}
    yield from _per_document(fresh_docs, counts)
    outlets = {d.document.source for d in fresh_docs} | {d.document.source for f in changes.removed
                                                         for d in f.documents}
    same_across = _same(settings, old_settings, "boilerplate_across")
    if not same_across or not _same(settings, old_settings, "today"):
        outlets = {d.document.source for d in docs}
    counts.outlets_redone = len(outlets)
    log.info("rescan: %d documents read again, %d reused, %d outlets' boilerplate redone", len(fresh_docs),
             counts.documents_reused, len(outlets))
    yield from _outlet_pass(docs, outlets, settings, same_across, counts)
    keys = [_key(d, s) if d.document.doc_id not in redone else ("", -1) for d in docs for s in d.stories]
    flat = [s for d in docs for s in d.stories]
    found = [dataclasses.replace(s.story, boilerplate=_overlay(s.document_spans, s.outlet_spans)) for s in flat]
    documents = {d.document.doc_id: d.document for d in docs}
    shown, edits = applied(found, documents, decisions)
    keep_words = _same(settings, old_settings, "today")
    olds = [before[k][0] if keep_words and k in before else None for k in keys]
    stories = yield from _describe(docs, shown, olds, settings.today)
    same_clean = _same(settings, old_settings, "duplicates")
    reusable = [before[k][3] if same_clean and o is not None and _cut(o.boilerplate) == _cut(st.boilerplate) else None
                for k, o, st in zip(keys, olds, stories)]
    yield Progress("signatures", 0, len(stories))
    saved_sets = [before[k][5] if k in before else None for k in keys]
    sets, blobs, sigs = _signatures(documents, stories, reusable, saved_sets, settings, counts)
    yield Progress("signatures", len(stories), len(stories))
    earlier = None
    if earlier_events is not None and {st.story_id for st in stories} == {
            sid for e in earlier_events for sid in e.story_ids}:  # changed: a new clean text, or a new date
        changed = frozenset(st.story_id for st, o, r in zip(stories, olds, reusable)
                            if r is None or o is None or (o.published, o.date_provenance)
                            != (st.published, st.date_provenance))
        earlier = Earlier(earlier_events, changed)
    tail_found = yield from tail(documents, stories, settings, decisions, edits, sets=sets, sigs=sigs,
                                 earlier=earlier, words=words)
    for saved, story, sig, blob in zip(flat, stories, sigs, blobs):
        saved.story = story
        saved.signature = signatures_to_bytes(sig[None, :])
        saved.shingles = blob
    for f in changes.files:  # saved files whose stories changed (outlet pass, decisions, inferred years)
        f.dirty = bool(f.file_id) and any(
            not d.cached or before.get(_key(d, s)) != (s.story, s.outlet_spans, s.partial, s.signature, s.paragraphs,
                                                         s.shingles)
            for d in f.documents for s in d.stories)
    return ScanResult(documents=tuple(d.document for d in docs), stories=tuple(stories),
                      relations=tail_found.relations, groups=tail_found.groups, events=tail_found.events,
                      problems=tuple(p for f in changes.files for p in f.problems),
                      files=tuple(f.entry for f in changes.files), settings=dataclasses.asdict(settings),
                      edits=tail_found.edits, common_phrases=frequency_bytes(tail_found.common))


def _key(doc: SavedDocument, story: SavedStory) -> tuple[str, int]:
    return doc.document.doc_id, story.story.story_index


def run_load(path: Path | str) -> Generator[Progress, None, ScanResult | None]:
    """Open the workspace at ``path`` and load its saved result (None before a first scan), as a job for a
    worker thread: a 50k-document workspace takes seconds. The connection is this generator's own."""
    yield Progress("open", 0, 1)
    with Workspace.open(path) as ws:
        result = ws.load()
    yield Progress("open", 1, 1)
    return result


def rescan(path: Path | str, paths: Sequence[Path] = (), settings: Settings | None = None,
           counts: RescanCounts | None = None, on_progress=None) -> ScanResult:
    """Run a whole rescan, reporting progress to ``on_progress`` if given."""
    return finish(run_rescan(path, paths, settings, counts), on_progress)
