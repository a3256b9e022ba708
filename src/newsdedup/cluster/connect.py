"""A Dask client for ``--scheduler``: ``tcp://HOST:PORT`` joins a running cluster, ``local:N`` starts one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from newsdedup.cluster import ClusterUnavailable, require_dask

_LOCAL = re.compile(r"^local:(\d+)$")
CONNECT_TIMEOUT = "20s"


def check_spec(spec: str) -> str | None:
    """What is wrong with a --scheduler value, or None when it is one we can use."""
    m = _LOCAL.match(spec)
    if m:
        return None if int(m.group(1)) >= 1 else "local:N needs at least one worker (local:2)"
    if re.match(r"^(tcp|tls|ucx|inproc)://[^:/]+(:\d+)?$", spec):
        return None
    return f"{spec!r} is not a scheduler address: give tcp://HOST:PORT or local:N"


@contextmanager
def open_client(spec: str) -> Iterator:
    """A connected ``distributed.Client``; a local cluster started for it is stopped on leaving."""
    require_dask()
    from distributed import Client, LocalCluster

    m = _LOCAL.match(spec)
    if m:
        # processes, one thread each: the stages hold the GIL in places, and a worker lost is one process
        with LocalCluster(n_workers=int(m.group(1)), threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(spec, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {spec}: {exc}") from exc
    with client:
        yield client
