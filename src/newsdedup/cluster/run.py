"""``scan_on_cluster``: the synchronous entry point the command line calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsdedup.cluster.connect import open_client
from newsdedup.model import Progress, ScanResult, finish
from newsdedup.settings import Settings


def scan_on_cluster(paths: list[Path], scheduler: str, settings: Settings = Settings(), send_texts: bool = False,
                    keep_texts: bool = False, on_progress: Callable[[Progress], None] | None = None,
                    part_files: int | None = None) -> ScanResult:
    """Run a whole scan on the cluster at ``scheduler`` (tcp://HOST:PORT, or local:N to start one)."""
    from newsdedup.cluster.driver import run_cluster_scan

    with open_client(scheduler) as client:
        return finish(run_cluster_scan(paths, settings, client, send_texts=send_texts, keep_texts=keep_texts,
                                       part_files=part_files), on_progress)
