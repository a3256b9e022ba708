"""File > Export Cluster CSV / Export Pairs CSV: a save dialog, an all-or-nothing write, a clear failure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from newsdedup.export import ExportError, write_cluster_csv, write_pairs_csv
from newsdedup.gui.plain_text import message_text
from newsdedup.model import ScanResult

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
