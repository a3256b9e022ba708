"""The application core the desktop window shows: one working session over a set of folders.

A ``Session`` owns what the user works on: the folders in the scan set, the settings (thresholds
included), the shown ``ScanResult``, the similarity scores of its pairs (``regroup.Similarities``), the
open workspace and the user's decisions with their undo and redo history. It also owns the order the
work runs in: scan, then score the pairs, then regroup under moved thresholds, then apply the decisions.

It never imports Qt and never runs anything long itself. Long work is a ``Job``: a stage generator
(it yields ``Progress`` and returns its value) that the view runs wherever it likes (the GUI on a worker
process, tests at once), handing the value back through ``Job.done`` and a cancel or failure through
``Job.stopped``. A stage is a ``functools.partial`` of a module-level stage and its arguments, never a
closure, so it can be pickled and run in another process. The view is any object with the three methods of ``SessionView``; the session calls
only those (as dupeGuru's core talks to its view), and the view tells the session the user's wishes
through the public methods below.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from newsdedup.corrections.decisions import Decision
from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings
from newsdedup.model import Progress, ScanResult
from newsdedup.pipeline import run_apply_decisions, run_scan
from newsdedup.regroup import Similarities, regroup, similarities
from newsdedup.search import SearchIndex, build_search_index
from newsdedup.settings import Settings
from newsdedup.workspace.rescan import RescanCounts, run_load, run_rescan
from newsdedup.workspace.store import Workspace, WorkspaceError

Stage = Callable[[], Generator[Progress, None, Any]]


@dataclass(eq=False)
class Job:
    """One piece of background work and where its value goes.

    ``kind`` names it for status words and tests ("scan", "load", "score", "regroup", "decisions");
    nothing dispatches on it: ``done`` already knows what to do with the value.
    """

    kind: str
    words: str  # what the user reads: "Scan", "Applying your corrections"
    stage: Stage
    done: Callable[[Any], None]
    stopped: Callable[[], None] = field(default=lambda: None)  # cancelled, failed or replaced


class SessionView(Protocol):
    """The calls a session makes to whatever shows it."""

    def run(self, job: Job | None) -> None:
        """Run ``job.stage`` (replacing a running job) and call ``job.done(value)`` or ``job.stopped()``;
        None: only stop the running job."""

    def result_changed(self, result: ScanResult | None) -> None:
        """A new result to show (a scan, a regroup or the decisions applied); None: nothing to show."""

    def scores_changed(self, scores: Similarities | None) -> None:
        """The pair scores of the shown result arrived (None: the old ones no longer hold)."""

    def search_changed(self, search: SearchIndex | None) -> None:
        """The index that finds the shown stories by their words arrived (None: it no longer holds)."""


def rescan_counted(path: Path, settings: Settings) -> Generator[Progress, None, tuple[ScanResult, RescanCounts]]:
    """A workspace's rescan, returning what it read and reused beside the result (a stage in another
    process cannot fill the caller's counts)."""
    counts = RescanCounts()
    result = yield from run_rescan(path, settings=settings, counts=counts)
    return result, counts


class NeedsWorkspace(Exception):
    """A decision was made without a writable workspace to keep it in."""


@dataclass
class _Done:
    decision: Decision  # as stored, with its id and time, so a redo restores the same row
    text: str


class Session:
    def __init__(self, view: SessionView, settings: Settings | None = None) -> None:
        self.view = view
        self.settings = settings or Settings()
        self.paths: list[Path] = []  # the folder set, as the user made it
        self.scanned: list[Path] = []  # the folders the shown result was scanned from
        self.result: ScanResult | None = None
        self.similarities: Similarities | None = None
        self.workspace: Workspace | None = None
        self.running: Job | None = None
        self.search: SearchIndex | None = None  # finds the shown stories by their words
        self.counts: RescanCounts | None = None  # what the last rescan read and reused
        self.pending = False  # decisions made during a scan, to apply to its result
        self._undo: list[_Done] = []
        self._redo: list[_Done] = []

    # -- the folder set and scans ------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> list[Path]:
        """Add folders or files to the set and scan the whole set; a cancelled scan takes them out again."""
        new = [Path(p) for p in paths if Path(p) not in self.paths]
        self.paths += new
        self.scan()
        return new

    def remove_path(self, path: Path) -> None:
        """Take a folder out of the set and scan what is left (an empty set shows nothing)."""
        if Path(path) not in self.paths:
            return
        self.paths = [p for p in self.paths if p != Path(path)]
        if self.paths:
            self.scan()
            return
        if self.running is not None:
            self.running = None  # first, so the stopped job does not put the set back
            self.view.run(None)  # nothing left to scan: stop the work on the old set
        self.scanned, self.similarities = [], None
        if self.workspace is not None and not self.workspace.read_only:
            self.workspace.set_folders([])
        self._show(None)

    def scan(self) -> None:
        """Scan the folder set: the workspace's incremental rescan when one is open and writable."""
        settings, paths = self.settings, list(self.paths)
        ws = self.workspace
        if ws is not None and not ws.read_only:
            ws.set_folders(paths)
            ws.save_settings(settings)
            self.counts = None
            stage: Stage = partial(rescan_counted, ws.path, settings)
        else:
            self.counts = None
            stage = partial(run_scan, paths, settings)

        def done(value: ScanResult | tuple[ScanResult, RescanCounts]) -> None:
            if isinstance(value, tuple):  # a rescan says what it read and reused
                value, self.counts = value
            result: ScanResult = value
            self.scanned = paths
            self._scanned(result)
        self._run("scan", "Scan", stage, done, self._scan_stopped)

    def _scan_stopped(self) -> None:
        """A cancelled or failed scan leaves the set as the shown result has it."""
        self.paths = list(self.scanned)
        if self.workspace is not None and not self.workspace.read_only:
            self.workspace.set_folders(self.paths)

    def scanning(self) -> bool:
        """True while a scan (or opening a workspace) runs, whose result will replace the shown one."""
        return self.running is not None and self.running.kind in ("scan", "load")

    def busy(self) -> bool:
        return self.running is not None

    def counts_line(self) -> str:
        """What the last rescan read and reused, once (for the status line)."""
        counts, self.counts = self.counts, None
        return f"Rescan: {counts.line()}" if counts is not None else ""

    def _scanned(self, result: ScanResult) -> None:
        """Show a scan's result at once; the pair scores follow (after the decisions made meanwhile)."""
        self.similarities = None
        self.view.scores_changed(None)
        if self.search is not None and self.search.result.stories != result.stories:
            self.search = None  # other stories: the words must be read again
            self.view.search_changed(None)
        self._show(result)
        if self.pending:
            self.apply_decisions()
        else:
            self.score()

    # -- thresholds: score, then regroup -----------------------------------------------------------
    def set_thresholds(self, duplicates: DuplicateSettings, events: EventSettings) -> None:
        """Thresholds moved: regroup the shown result (a running scan uses them when its scoring ends)."""
        self.settings = dataclasses.replace(self.settings, duplicates=duplicates, events=events)
        if self.result is None or self.scanning():
            return
        if self.similarities is None:
            if self.running is None or self.running.kind != "score":
                self.score()
            return  # scoring regroups when it ends
        result, sims = self.result, self.similarities
        self._run("regroup", "Regrouping", partial(regroup, result, sims, duplicates, events), self._regrouped)

    def thresholds_moved(self) -> bool:
        """Whether the shown result was made under other thresholds than the session's."""
        done = self.result.settings if self.result is not None else {}
        return (done.get("duplicates") != asdict(self.settings.duplicates)
                or done.get("events") != asdict(self.settings.events))

    def score(self) -> None:
        """Score the shown result's similar pairs, for the histogram and for regrouping."""
        result, duplicates = self.result, self.settings.duplicates
        if result is None:
            return
        self._run("score", "Scoring of similar pairs", partial(similarities, result, duplicates), self._scored)

    def _scored(self, sims: Similarities) -> None:
        self.similarities = sims
        self.view.scores_changed(sims)
        if self.thresholds_moved():
            self.set_thresholds(self.settings.duplicates, self.settings.events)
        else:
            self.index()

    def _regrouped(self, result: ScanResult) -> None:
        self._show(result)
        if self.workspace is not None and self.workspace.decisions():
            self.apply_decisions()  # the user's decisions still hold
        else:
            self.index()

    # -- decisions, undo and redo ------------------------------------------------------------------
    def decide(self, decision: Decision, text: str) -> None:
        """Keep ``decision`` in the workspace and apply every decision to the shown result."""
        ws = self._writable()
        self._undo.append(_Done(ws.add_decision(decision), text))
        self._redo.clear()
        self.apply_decisions()

    def undo(self) -> None:
        if not self._undo:
            return
        done = self._undo.pop()
        self._writable().remove_decision(done.decision.decision_id)
        self._redo.append(done)
        self.apply_decisions()

    def redo(self) -> None:
        if not self._redo:
            return
        done = self._redo.pop()
        self._undo.append(_Done(self._writable().add_decision(done.decision), done.text))
        self.apply_decisions()

    def undo_text(self) -> str:
        """What Undo would take back ("" when nothing)."""
        return self._undo[-1].text if self._undo else ""

    def redo_text(self) -> str:
        return self._redo[-1].text if self._redo else ""

    def _writable(self) -> Workspace:
        ws = self.workspace
        if ws is None:
            raise NeedsWorkspace("Corrections are kept in a workspace file, so they survive rescans")
        if ws.read_only:
            raise NeedsWorkspace(f"{ws.path.name} is {ws.read_only_reason}")
        return ws

    def apply_decisions(self) -> None:
        """Apply every stored decision to the shown result, on the view's worker; no file is read."""
        result, sims = self.result, self.similarities
        if result is None or self.workspace is None:
            return
        if self.scanning():
            self.pending = True  # the scan read the decisions when it began: apply them when it ends
            return
        self.pending = False
        decisions = self.workspace.decisions()
        sets = sims.sets if sims is not None else None
        self._run("decisions", "Applying your corrections", partial(run_apply_decisions, result, decisions, sets),
                  self._decided)

    def _decided(self, result: ScanResult) -> None:
        self._show(result)
        ws = self.workspace
        if ws is not None and not ws.read_only:
            ws.save_result(result)  # kept for the next open; WorkspaceError goes to the view
        if self.similarities is None:  # a decision replaced the scoring job: score again
            self.score()
        else:
            self.index()

    def index(self) -> None:
        """Read the shown stories' words for the filter, once per set of stories (last, when idle)."""
        result = self.result
        if result is None or (self.search is not None and self.search.result.stories == result.stories):
            return

        def done(search: SearchIndex) -> None:
            self.search = search
            self.view.search_changed(search)
        self._run("index", "Indexing the words of the stories", partial(build_search_index, result), done)

    # -- workspaces --------------------------------------------------------------------------------
    def new_workspace(self, path: Path) -> None:
        """A new workspace file holding the folder set (replacing a file there); scans the set into it."""
        self._use(Workspace.create(path, self.paths, self.settings, replace=Path(path).is_file()))
        if self.paths:
            self.scan()

    def open_workspace(self, path: Path) -> None:
        """Open a workspace: its folders become the set and its saved result is loaded (or scanned)."""
        ws = Workspace.open(path)
        self._use(ws)
        self.paths = ws.folders()
        self.scanned = list(self.paths)
        self._run("load", "Opening the workspace", partial(run_load, ws.path), self._loaded)

    def save_as(self, path: Path) -> None:
        if self.workspace is None:
            raise WorkspaceError("No workspace is open")
        self._use(self.workspace.save_as(path))

    def _use(self, ws: Workspace) -> None:
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = ws
        self._undo.clear()
        self._redo.clear()

    def _loaded(self, result: ScanResult | None) -> None:
        if result is not None:
            self._scanned(result)
        elif self.paths:
            self.scan()  # never scanned: scan it now

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None

    # -- running jobs ------------------------------------------------------------------------------
    def _show(self, result: ScanResult | None) -> None:
        self.result = result
        self.view.result_changed(result)

    def _run(self, kind: str, words: str, stage: Stage, done: Callable[[Any], None],
             on_stopped: Callable[[], None] = lambda: None) -> None:
        job = Job(kind, words, stage, lambda value: None, lambda: None)

        def take(value) -> None:
            if self.running is job:
                self.running = None
                done(value)

        def stopped() -> None:
            if self.running is job:  # cancelled or failed; a replaced job changes nothing
                self.running = None
                on_stopped()

        job.done, job.stopped = take, stopped
        self.running = job
        self.view.run(job)
