"""The scan on one machine against the same scan on Dask: time, peak memory per process, what crosses the
network, whether the answers agree, and the per-partition costs the README's projection is made from.

Usage: python benchmarks/cluster.py --data ../shared/eval --stories 20000 [--work FOLDER] [--event-block N]
    [--reuse-local]

The input: the shared sets' articles (``--stories``/2 of them, taken in turn from every set) and as many
perturbed copies (a few words changed, or the first part kept: near-duplicates and partial reuse), written
as .jsonl files of 500 records. Three runs, each in a fresh process: the local scan; ``--scheduler local:2``
(two worker processes started by the scan); and a ``dask scheduler`` with two ``dask worker`` processes
started here, reached over TCP as a remote cluster would be. Time is a ratio against the local run of
the same invocation; memory is each process's peak resident set. ``--event-block N``: the cluster runs cut
the events stage into blocks of N dated duplicate groups (default 20,000: one block below that, which gives
the local events exactly), to measure how far blocked events stay from the local ones. ``--reuse-local``:
take the local run of an earlier invocation on the same input (it is the slow one on a loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

RECORDS_PER_FILE = 500


def build_input(data: Path, stories: int, out: Path, seed: int = 21) -> int:
    """Write the scale input under ``out``; returns the number of records."""
    sets = sorted(data.glob("*/*.jsonl"))
    readers = [open(p, encoding="utf-8") for p in sets]
    originals = []
    while len(originals) < stories // 2 and readers:
        for r in list(readers):
            line = r.readline()
            if not line:
                readers.remove(r)
                continue
            rec = json.loads(line)
            if rec.get("text"):
                rec["id"] = f"{Path(r.name).stem}-{rec['id']}"
                originals.append(rec)
    rng = random.Random(seed)
    copies = []
    for k in range(stories - len(originals)):
        rec = dict(rng.choice(originals))
        words = rec["text"].split(" ")
        if k % 2:  # a light edit: a near-duplicate
            for _ in range(max(1, len(words) // 40)):
                words[rng.randrange(len(words))] = rng.choice(words)
        else:  # the first part reused in a longer story
            words = words[: max(8, len(words) // 2)] + rng.choice(originals)["text"].split(" ")
        rec["text"], rec["id"] = " ".join(words), f"{rec['id']}-copy{k}"
        copies.append(rec)
    records = originals + copies
    rng.shuffle(records)
    out.mkdir(parents=True, exist_ok=True)
    for f in range(0, len(records), RECORDS_PER_FILE):
        with open(out / f"part{f // RECORDS_PER_FILE:04d}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records[f:f + RECORDS_PER_FILE])
    return len(records)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_figures(dask_worker=None) -> dict:
    import resource as r

    return {"peak_mb": r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024,
            "sent_mb": dask_worker.transfer_outgoing_bytes_total / 2**20}


def _scheduler_peak(dask_scheduler=None) -> float:
    import resource as r

    return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024


def run_one(mode: str, folder: Path, out: Path, event_block: int) -> None:
    """One run in this process; writes its figures and a compact answer to ``out``."""
    from newsdedup.model import finish
    from newsdedup.settings import Settings

    figures: dict = {"mode": mode}
    stages: dict = {}
    clock = {"stage": None, "t": time.perf_counter()}

    def timed(progress) -> None:  # wall seconds per stage, as the client sees them
        now = time.perf_counter()
        if clock["stage"] is not None:
            stages[clock["stage"]] = stages.get(clock["stage"], 0.0) + now - clock["t"]
        clock["stage"], clock["t"] = progress.stage, now

    t0 = time.perf_counter()
    if mode == "local":
        from newsdedup.pipeline import run_scan

        result = finish(run_scan([folder]), timed)
    else:
        from distributed import get_task_stream

        from newsdedup.cluster.connect import open_client
        from newsdedup.cluster.driver import run_cluster_scan

        with open_client(mode) as client:
            client.wait_for_workers(2, timeout=120)
            t0 = time.perf_counter()  # a cluster is started once and kept: its start is not the scan's
            with get_task_stream(client) as stream:
                clock["t"] = time.perf_counter()
                result = finish(run_cluster_scan([folder], Settings(), client, event_block=event_block), timed)
            figures["workers"] = list(client.run(_worker_figures).values())
            figures["scheduler_peak_mb"] = client.run_on_scheduler(_scheduler_peak)
            figures["tasks"] = _task_costs(stream.data)
    figures["seconds"] = time.perf_counter() - t0
    timed(type("End", (), {"stage": None})())
    figures["stage_seconds"] = stages
    figures["client_peak_mb"] = _peak_mb()
    # the local scan's per-document work runs on worker processes of its own (``pool``), ended by now: the
    # largest of them (with local:N, the Dask workers, which the worker figures give)
    figures["child_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["stories"] = len(result.stories)
    answer = {"stories": [s.story_id for s in result.stories], "relations": list(result.relations),
              "groups": [g.members for g in result.groups],
              "events": {sid: e.event_id for e in result.events for sid in e.story_ids},
              "full_stories": list(result.stories)}
    out.write_bytes(pickle.dumps((figures, answer)))


def _task_costs(stream: list) -> dict:
    """Compute seconds per kind of task (the function's name), summed over partitions."""
    per: dict = defaultdict(float)
    for t in stream:
        name = str(t["key"]).split("-")[0].strip("('")
        for s in t["startstops"]:
            if s["action"] == "compute":
                per[name] += s["stop"] - s["start"]
    return dict(sorted(per.items(), key=lambda kv: -kv[1]))


def bcubed_f1(a: dict, b: dict) -> float:
    both = Counter((a[s], b[s]) for s in a)
    size_a, size_b = Counter(a.values()), Counter(b.values())
    precision = sum(both[(a[s], b[s])] / size_a[a[s]] for s in a) / len(a)
    recall = sum(both[(a[s], b[s])] / size_b[b[s]] for s in a) / len(a)
    return 2 * precision * recall / (precision + recall)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_tcp_cluster(work: Path) -> tuple[str, list[subprocess.Popen]]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = open(work / "dask.log", "wb")
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], stdout=logs, stderr=subprocess.STDOUT)]
    for _ in range(2):
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(work)],
                                      stdout=logs, stderr=subprocess.STDOUT))
    return address, procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs[::-1]:
        p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def compare(local: dict, other: dict) -> dict:
    return {"same_stories": local["full_stories"] == other["full_stories"],
            "same_relations": local["relations"] == other["relations"],
            "same_groups": local["groups"] == other["groups"],
            "events_bcubed_f1": round(bcubed_f1(other["events"], local["events"]), 4),
            # over the dated and the undated stories apart: the two rounds of the events stage
            **{f"events_bcubed_f1_{kind}": round(bcubed_f1(*({s: e for s, e in run["events"].items() if s in ids}
                                                             for run in (other, local))), 4)
               for kind, ids in _dated_and_undated(local).items() if ids}}


def _dated_and_undated(run: dict) -> dict[str, set]:
    dated = {s.story_id for s in run["full_stories"] if s.published is not None}
    return {"dated": dated, "undated": {s.story_id for s in run["full_stories"]} - dated}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/eval"))
    ap.add_argument("--stories", type=int, default=20000)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "newsdedup-cluster-bench")
    ap.add_argument("--event-block", type=int, default=20000)
    ap.add_argument("--reuse-local", action="store_true")
    ap.add_argument("--run", help=argparse.SUPPRESS)  # one run, in a fresh process: MODE
    args = ap.parse_args()
    folder = args.work / f"input-{args.stories}"
    if args.run:
        run_one(args.run, folder, args.work / f"run-{args.run.replace(':', '_').replace('/', '_')}.pickle",
                args.event_block)
        return
    if not folder.exists():
        print(f"input: {build_input(args.data, args.stories, folder)} records in {folder}")
    address, procs = _start_tcp_cluster(args.work)
    runs = {}
    try:
        for mode in ("local", "local:2", address):
            name = args.work / f"run-{mode.replace(':', '_').replace('/', '_')}.pickle"
            if not (mode == "local" and args.reuse_local and name.exists()):
                subprocess.run([sys.executable, __file__, "--data", str(args.data), "--stories", str(args.stories),
                                "--work", str(args.work), "--event-block", str(args.event_block), "--run", mode],
                               check=True, env=dict(os.environ))
            runs[mode] = pickle.loads(name.read_bytes())
    finally:
        _stop(procs)
    base = runs["local"][0]["seconds"]
    for mode, (fig, answer) in runs.items():
        row = {"mode": "tcp scheduler + 2 dask workers" if mode == address else mode,
               "stories": fig["stories"], "seconds": round(fig["seconds"], 1),
               "time_ratio_to_local": round(fig["seconds"] / base, 2),
               "client_peak_mb": round(fig["client_peak_mb"]),
               "largest_child_peak_mb": round(fig.get("child_peak_mb", 0)),
               "stage_seconds": {k: round(v, 1) for k, v in fig["stage_seconds"].items()}}
        if "workers" in fig:
            row["worker_peak_mb"] = [round(w["peak_mb"]) for w in fig["workers"]]
            row["worker_to_worker_mb"] = round(sum(w["sent_mb"] for w in fig["workers"]), 1)
            # with local:N the scheduler runs in the client's process: the same peak
            row["scheduler_peak_mb"] = round(fig["scheduler_peak_mb"])
            row["task_seconds"] = {k: round(v, 2) for k, v in list(fig["tasks"].items())[:12]}
            row.update(compare(runs["local"][1], answer))
        print(json.dumps(row))


if __name__ == "__main__":
    main()
