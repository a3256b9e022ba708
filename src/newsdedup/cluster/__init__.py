"""The same scan on a Dask cluster, for folders one machine cannot hold.

Imported only when ``newsdedup scan --scheduler`` is used; Dask itself comes with the optional extra
``pip install 'newsdedup[cluster]'``. The shape is that of NVIDIA NeMo Curator's fuzzy dedup on Dask:
per-partition work on the workers (reading, stories, signatures), LSH band keys shuffled to find
candidate pairs, verification on the workers, copy groups per bucket of connected components; then dated
events per overlapping block of time, and the undated stories' neighbours gathered from every block. Each step calls the local stage functions on its partition (the duplicates
stage's decisions run on the client over pairs and counts, through ``dedup.finder``), so the answers match
the local scan by construction wherever the step is per story, per outlet or per duplicate group (see
``driver``).
"""

from __future__ import annotations

INSTALL_HINT = "pip install 'newsdedup[cluster]'"


class ClusterUnavailable(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached: said in words a user can act on."""


class ClusterLost(RuntimeError):
    """The cluster lost part of a scan it could not make again: the scan must be run again."""


def require_dask() -> None:
    """Raise ClusterUnavailable with how to get Dask when it is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ClusterUnavailable(f"--scheduler needs Dask, which is not installed: {INSTALL_HINT}") from exc
