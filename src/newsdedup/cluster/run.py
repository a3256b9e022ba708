"""``scan_on_cluster``: the synchronous entry point the command line calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsdedup.cluster import ClusterLost
from newsdedup.cluster.connect import open_client
from newsdedup.model import Progress, ScanResult, finish
from newsdedup.settings import Settings


def scan_on_cluster(paths: list[Path], scheduler: str, settings: Settings = Settings(), send_texts: bool = False,
                    keep_texts: bool = False, on_progress: Callable[[Progress], None] | None = None,
                    part_files: int | None = None) -> ScanResult:
    """Run a whole scan on the cluster at ``scheduler`` (tcp://HOST:PORT, or local:N to start one)."""
    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    from newsdedup.cluster.driver import run_cluster_scan

    with open_client(scheduler) as client:
        try:
            return finish(run_cluster_scan(paths, settings, client, send_texts=send_texts, keep_texts=keep_texts,
                                           part_files=part_files), on_progress)
        except KilledWorker as exc:  # the same task took down worker after worker: its memory, most likely
            raise ClusterLost(f"the cluster lost the workers running one task ({exc}); give the "
                                     "workers more memory and run the scan again") from exc
        except (FutureCancelledError, CommClosedError) as exc:  # texts sent with --send-texts lost, or a link
            why = "a worker holding texts sent with --send-texts was lost" if send_texts else "a link failed"
            raise ClusterLost(f"the cluster lost part of the scan: {why} ({exc}); run the scan again") from exc
