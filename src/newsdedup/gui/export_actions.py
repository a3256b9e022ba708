"""File > Export Cluster CSV / Export Pairs CSV / Export Report: a save dialog, an all-or-nothing write, a
clear failure. The report (one HTML file) may take seconds on a large result, so it is written on a thread
of its own while the window stays responsive."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu, QMessageBox

from newsdedup.export import ExportError, write_cluster_csv, write_pairs_csv
from newsdedup.gui.models import ID_ROLE, KIND_ROLE
from newsdedup.gui.plain_text import message_text
from newsdedup.model import ScanResult
from newsdedup.report.html import write_report

KINDS = {
    "clusters": ("Export Cluster CSV (one row per story)", "clusters.csv", write_cluster_csv, "stories"),
    "pairs": ("Export Pairs CSV (one row per related pair)", "pairs.csv", write_pairs_csv, "pairs"),
}


def export_csv(window: QMainWindow, result: ScanResult, kind: str, settings: QSettings) -> Path | None:
    """Ask where, write, and say how it went; the written path, or None when nothing was written."""
    title, default_name, write, rows_are = KINDS[kind]
    folder = settings.value("export/folder") or str(Path.home())
    chosen, _filter = QFileDialog.getSaveFileName(window, title, str(Path(folder) / default_name),
                                                  "CSV files (*.csv);;All files (*)")
    if not chosen:
        return None
    path = Path(chosen)
    if not path.suffix:
        path = path.with_suffix(".csv")
    try:
        rows = write(result, path)
    except ExportError as exc:
        QMessageBox.critical(window, "Export failed", message_text(f"{exc}.\n\nNothing was written."))
        return None
    settings.setValue("export/folder", str(path.parent))
    window.statusBar().showMessage(f"Wrote {rows} {rows_are} to {path}", 8000)
    return path


# -- File > Export Report: one HTML file to send, written on a thread of its own -------------------------
class ReportWriter(QObject):
    """Carries a report's outcome from the thread that writes it back to the GUI thread (a queued signal)."""

    written = Signal(str, str)  # path, what it holds in words
    failed = Signal(str)  # why, in words


_WRITING: set[ReportWriter] = set()  # writers whose thread has not reported yet (kept alive until then)


def add_report_action(window: QMainWindow, menu: QMenu) -> QAction:
    """File > Export Report…, enabled whenever the window shows a result."""
    action = QAction("Export &Report (HTML)…", window)
    action.setObjectName("actionExportReport")
    action.setStatusTip("One HTML file to read or send: the events, the copies and the shared passages")
    action.triggered.connect(lambda: export_report(window))
    action.setEnabled(False)
    menu.aboutToShow.connect(lambda: action.setEnabled(getattr(window, "result", None) is not None))
    menu.addAction(action)
    return action


def selected_events(window) -> set[int]:
    """The events of the rows selected in the results tree."""
    ids = set()
    for index in window.tree.selectionModel().selectedRows():
        event = window.model.event_of(index.data(KIND_ROLE), index.data(ID_ROLE))
        if event is not None:
            ids.add(event.event_id)
    return ids


def _which_events(window, result: ScanResult) -> tuple[bool, set[int] | None]:
    """Ask whether to report every event or the selected ones: (go on, the event ids or None for all)."""
    chosen = selected_events(window)
    if not chosen or len(chosen) >= len(result.events):
        return True, None
    if len(chosen) == 1:
        label = next(e.label for e in result.events if e.event_id in chosen)
        only = f"Only the selected event: “{label}”"
    else:
        only = f"Only the {len(chosen)} selected events"
    every = f"All {len(result.events):,} events"
    answer, ok = QInputDialog.getItem(window, "Export Report", "Which events go in the report?", [every, only], 0,
                                      False)
    return ok, (chosen if ok and answer == only else None)


def export_report(window) -> ReportWriter | None:
    """Ask which events and where, then write the report off the GUI thread; the status bar says when it is
    written, a message box when it could not be (and then nothing was written)."""
    result: ScanResult | None = window.result
    if result is None:
        return None
    ok, event_ids = _which_events(window, result)
    if not ok:
        return None
    folder = window.settings.value("export/folder") or str(Path.home())
    chosen, _filter = QFileDialog.getSaveFileName(window, "Export Report (one HTML file)",
                                                  str(Path(folder) / "newsdedup-report.html"),
                                                  "HTML files (*.html *.htm);;All files (*)")
    if not chosen:
        return None
    path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".html")
    writer = ReportWriter()
    _WRITING.add(writer)
    writer.written.connect(lambda where, holds: _report_written(window, writer, Path(where), holds))
    writer.failed.connect(lambda why: _report_failed(window, writer, why))
    folders = [str(p) for p in getattr(window, "paths", [])] or None
    threading.Thread(target=_write_report, args=(writer, result, path, folders, event_ids), daemon=False,
                     name="report").start()
    window.statusBar().showMessage(f"Writing the report to {path}…")
    return writer


def _write_report(writer: ReportWriter, result: ScanResult, path: Path, folders, event_ids) -> None:
    try:
        report = write_report(result, path, folders=folders, event_ids=event_ids)
    except ExportError as exc:
        writer.failed.emit(f"{exc}.\n\nNothing was written.")
        return
    except Exception as exc:  # a bug: said, never a crash; write_atomic left no file
        writer.failed.emit(f"{type(exc).__name__}: {exc}\n\nNothing was written.")
        return
    views = sum(len(e.views) for e in report.events)
    writer.written.emit(str(path), f"{len(report.events):,} events, {views:,} pairs side by side")


def _report_written(window, writer: ReportWriter, path: Path, holds: str) -> None:
    _WRITING.discard(writer)
    if shiboken6.isValid(window):
        window.settings.setValue("export/folder", str(path.parent))
        window.statusBar().showMessage(f"Wrote the report ({holds}) to {path}", 10000)


def _report_failed(window, writer: ReportWriter, why: str) -> None:
    _WRITING.discard(writer)
    if shiboken6.isValid(window):
        window.statusBar().clearMessage()
        QMessageBox.critical(window, "Export failed", message_text(why))
